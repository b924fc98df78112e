import { Inject, Injectable } from '@nestjs/common';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { ReportRegistry } from '../reports/report-registry';
import { contextIn } from '../resources/dav-scope';
import { onePage, renderedMembersKey, type PropfindNode, type ResourceTree } from '../resources/adapters';
import { CaldavResources } from './caldav-resources';
import { type CaldavScope } from './caldav-scope';
import { calendarObjectContext, collectionContext } from './calendar-context';

/**
 * The calendar home (Depth 1: the user's calendars), the calendars and the schedule inbox (Depth
 * 1: their objects, a calendar's inside the sync window, page by page), the objects, and the
 * schedule outbox (no members).
 */
@Injectable()
export class CaldavTree implements ResourceTree {
  readonly kinds = ['calendar-home', 'calendar', 'calendar-object', 'schedule-inbox', 'schedule-outbox'] as const;

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
    if (resource.kind === 'schedule-outbox') return { self: { ...contextIn(scope, resource), reports: this.reports.namesFor(resource.kind) } };
    const view = this.resources.collection(scope, resource);
    const resources = this.resources;
    const window = resources.windowOf(scope, view);
    return {
      self: collectionContext(scope, this.reports, view),
      membersKey: renderedMembersKey(scope.user, view, resources.listingKey(scope, view, window)),
      async *members() {
        for await (const page of resources.objects(scope, view, window)) yield page.map((object) => calendarObjectContext(scope, view, object));
      },
    };
  }
}
