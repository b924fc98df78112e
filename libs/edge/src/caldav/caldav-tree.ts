import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { type User } from '@davmesh/contracts';
import { type PropfindRequest } from '@davmesh/dav';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { ReportRegistry } from '../reports/report-registry';
import { contextIn } from '../resources/dav-scope';
import { onePage, renderedMembersKey, type PropfindNode, type ResourceTree } from '../resources/adapters';
import { CaldavResources } from './caldav-resources';
import { type CaldavScope } from './caldav-scope';
import { calendarObjectContext, collectionContext } from './calendar-context';
import { asksForInvite, sharingPeople } from './sharing/sharing-people';

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
    @Inject(BusClient) private readonly bus: BusClient,
  ) {}

  async open(exchange: DavExchange): Promise<(propfind: PropfindRequest) => Promise<PropfindNode>> {
    const scope = await this.resources.open(exchange);
    return async (propfind) => {
      const node = await this.node(exchange, scope);
      return asksForInvite(propfind) ? this.withPeople(exchange, scope, node) : node;
    };
  }

  /** CS:invite names sharees and sharers: the calendars described get the users they name. */
  private async withPeople({ resource }: DavExchange, scope: CaldavScope, node: PropfindNode): Promise<PropfindNode> {
    if (resource.kind !== 'calendar-home' && resource.kind !== 'calendar') return node;
    const calendars = resource.kind === 'calendar-home' ? scope.calendars : [this.resources.collection(scope, resource)];
    const people: ReadonlyMap<number, User> = await sharingPeople(this.bus, scope.user, calendars);
    const members = node.members;
    return {
      self: { ...node.self, people },
      ...(members && {
        async *members() {
          for await (const page of members()) yield page.map((context) => ({ ...context, people }));
        },
      }),
    };
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
