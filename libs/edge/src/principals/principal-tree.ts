import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { EffectiveConfigCache } from '@davmesh/config-client';
import { type User } from '@davmesh/contracts';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { type PropertyContext } from '../properties/property';
import { ReportRegistry } from '../reports/report-registry';
import { onePage, type PropfindNode, type ResourceTree } from '../resources/adapters';
import { visiblePrincipalUser } from './principal-user';
import { principalCollectionMember, type Resource } from '../resources/resource';

/** The root, the principal collections (Depth 1: the one member a user sees) and the principals. */
@Injectable()
export class PrincipalTree implements ResourceTree {
  readonly kinds = ['root', 'principal', 'principal-collection'] as const;

  constructor(
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(EffectiveConfigCache) private readonly userConfig: EffectiveConfigCache,
    @Inject(ReportRegistry) private readonly reports: ReportRegistry,
  ) {}

  async open(exchange: DavExchange): Promise<() => Promise<PropfindNode>> {
    return () => this.node(exchange);
  }

  private async node({ resource, user, prefix }: DavExchange): Promise<PropfindNode> {
    const context = (target: Resource, subjectUser: User, config: PropertyContext['config']): PropertyContext => ({
      currentUser: user,
      subjectUser,
      resource: target,
      prefix,
      config,
      reports: this.reports.namesFor(target.kind),
    });
    if (resource.kind === 'principal-collection') {
      const config = await this.userConfig.forUser(user.userId);
      return { self: context(resource, user, config), members: () => onePage([context(principalCollectionMember(resource, prefix, user.userId), user, config)]) };
    }
    const [subjectUser, config] = await Promise.all([this.subjectUser(resource, user), this.userConfig.forUser(user.userId)]);
    return { self: context(resource, subjectUser, config) };
  }

  private async subjectUser(resource: Resource, currentUser: User): Promise<User> {
    if (resource.kind !== 'principal') return currentUser;
    const user = await visiblePrincipalUser(this.bus, currentUser, resource.userId);
    if (!user) throw new DavHttpError(404, 'no such principal');
    return user;
  }
}
