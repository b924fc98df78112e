import { type BusClient } from '@davmesh/bus';
import { type EffectiveConfig, type User } from '@davmesh/contracts';
import { type CaldavScope, type CaldavScopes } from '../caldav/caldav-scope';
import { collectionContext } from '../caldav/calendar-context';
import { type PropertyContext } from '../properties/property';
import { visiblePrincipalUser } from '../principals/principal-user';
import { type Resource } from '../resources/resource';
import { type ReportRegistry } from './report-registry';

/**
 * What expand-property may describe for one request: the user's own principal and those of
 * their context, their calendar home and the calendars in it (own and shared). Anything else,
 * or anything they cannot see, has no context. The scope and users are looked up once.
 */
export class ExpandTargets {
  private scope?: Promise<CaldavScope>;
  private readonly users = new Map<number, Promise<User | undefined>>();

  constructor(
    private readonly user: User,
    private readonly prefix: string,
    private readonly config: EffectiveConfig,
    private readonly deps: { bus: BusClient; scopes: CaldavScopes; reports: ReportRegistry },
  ) {}

  /** The property context of a resource; undefined when it is none of the above. CalDAV switched off answers 403. */
  async contextOf(resource: Resource): Promise<PropertyContext | undefined> {
    if (resource.kind === 'principal') {
      const subjectUser = await this.principal(resource.userId);
      if (!subjectUser) return undefined;
      return { currentUser: this.user, subjectUser, resource, prefix: this.prefix, config: this.config, reports: this.deps.reports.namesFor(resource.kind) };
    }
    if (resource.kind === 'calendar-home') return collectionContext(await this.caldav(), this.deps.reports);
    if (resource.kind === 'calendar') {
      const scope = await this.caldav();
      const view = scope.find(resource.segment);
      return view ? collectionContext(scope, this.deps.reports, view) : undefined;
    }
    return undefined;
  }

  private principal(userId: number): Promise<User | undefined> {
    let user = this.users.get(userId);
    if (!user) {
      user = visiblePrincipalUser(this.deps.bus, this.user, userId);
      this.users.set(userId, user);
    }
    return user;
  }

  private caldav(): Promise<CaldavScope> {
    this.scope ??= this.deps.scopes.open(this.user, this.prefix);
    return this.scope;
  }
}
