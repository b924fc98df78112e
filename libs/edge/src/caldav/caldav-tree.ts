import { Inject, Injectable } from '@nestjs/common';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { ReportRegistry } from '../reports/report-registry';
import { onePage, type PropfindNode, type ResourceTree } from '../resources/adapters';
import { CaldavResources } from './caldav-resources';
import { type CaldavScope } from './caldav-scope';
import { calendarObjectContext, collectionContext } from './calendar-context';

/**
 * The calendar home (Depth 1: the user's calendars), the calendars (Depth 1: their objects
 * inside the sync window, page by page) and the objects.
 */
@Injectable()
export class CaldavTree implements ResourceTree {
  readonly kinds = ['calendar-home', 'calendar', 'calendar-object'] as const;

  constructor(
    @Inject(CaldavResources) private readonly resources: CaldavResources,
    @Inject(ReportRegistry) private readonly reports: ReportRegistry,
  ) {}

  async open(exchange: DavExchange): Promise<() => Promise<PropfindNode>> {
    const scope = await this.resources.open(exchange);
    return () => this.node(exchange, scope);
  }

  private async node({ resource }: DavExchange, scope: CaldavScope): Promise<PropfindNode> {
    if (resource.kind === 'calendar-object') {
      const { view, object } = await this.resources.object(scope, resource);
      if (!object) throw new DavHttpError(404, 'no such calendar object');
      return { self: calendarObjectContext(scope, view, object) };
    }
    if (resource.kind === 'calendar-home') {
      const calendars = scope.calendars.map((calendar) => collectionContext(scope, this.reports, calendar));
      return { self: collectionContext(scope, this.reports), members: () => onePage(calendars) };
    }
    const view = this.resources.collection(scope, resource);
    const resources = this.resources;
    return {
      self: collectionContext(scope, this.reports, view),
      async *members() {
        for await (const page of resources.objects(scope, view)) yield page.map((object) => calendarObjectContext(scope, view, object));
      },
    };
  }
}
