import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { EffectiveConfigCache } from '@davmesh/config-client';
import { UsersGet, type User } from '@davmesh/contracts';
import {
  dav,
  encodeHref,
  MultistatusWriter,
  parsePropfind,
  renderDavError,
  type MultistatusResponse,
  type PropfindRequest,
  type PropValue,
} from '@davmesh/dav';
import { EDGE_OPTIONS, type EdgeOptions } from '../edge-options';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { DAV_COMPLIANCE, parseDepth, wantsMinimal } from '../http/dav-headers';
import { readBody } from '../http/request-body';
import { STATUS_FOR_ERROR } from '../http/error-status';
import { type PropertyContext } from '../properties/property';
import { PropertyRegistry } from '../properties/property-registry';
import { type Resource } from '../resources/resource';
import { type DavMethod } from './dav-method';

@Injectable()
export class PropfindMethod implements DavMethod {
  readonly method = 'PROPFIND';
  readonly kinds = ['root', 'principal'] as const;

  constructor(
    @Inject(PropertyRegistry) private readonly properties: PropertyRegistry,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(EDGE_OPTIONS) private readonly options: EdgeOptions,
    @Inject(EffectiveConfigCache) private readonly userConfig: EffectiveConfigCache,
  ) {}

  async handle({ request, response, resource, user, prefix }: DavExchange): Promise<void> {
    // RFC 4918 reads a missing Depth as infinity; like SabreDAV we answer it as 1, so a bare
    // `curl -X PROPFIND` or a sloppy client gets an answer instead of a 403.
    const depth = parseDepth(request.headers['depth'], '1');
    if (depth === undefined) throw new DavHttpError(400, 'Depth must be 0, 1 or infinity');
    if (depth === 'infinity') {
      throw new DavHttpError(403, 'Depth: infinity is not supported', renderDavError(dav('propfind-finite-depth')));
    }
    const propfind = await parsePropfind(await readBody(request, this.options.maxXmlBytes));
    const [subjectUser, config] = await Promise.all([this.subjectUser(resource, user), this.userConfig.forUser(user.userId)]);
    const minimal = wantsMinimal(request);
    const writer = new MultistatusWriter();

    response.statusCode = 207;
    response.setHeader('Content-Type', 'application/xml; charset=utf-8');
    response.setHeader('DAV', DAV_COMPLIANCE);
    response.write(writer.open());
    // Principals and the root have no members yet: Depth 1 answers the resource itself.
    const context: PropertyContext = { currentUser: user, subjectUser, resource, prefix, config };
    response.write(writer.response(this.describe(context, propfind, minimal)));
    response.end(writer.close());
  }

  private async subjectUser(resource: Resource, currentUser: User): Promise<User> {
    if (resource.kind !== 'principal' || resource.userId === currentUser.userId) return currentUser;
    const reply = await this.bus.request(UsersGet, { userId: resource.userId });
    if (!reply.ok) {
      if (reply.error.code === 'not-found') throw new DavHttpError(404, 'no such principal');
      throw new DavHttpError(STATUS_FOR_ERROR[reply.error.code], reply.error.message);
    }
    // Principals of other contexts do not exist for this user.
    if (reply.data.contextId !== currentUser.contextId) throw new DavHttpError(404, 'no such principal');
    return reply.data;
  }

  private describe(context: PropertyContext, propfind: PropfindRequest, minimal: boolean): MultistatusResponse {
    const kind = context.resource.kind;
    const found: PropValue[] = [];
    const missing: PropValue[] = [];
    switch (propfind.kind) {
      case 'propname':
        for (const property of this.properties.forKind(kind)) found.push({ name: property.name });
        break;
      case 'allprop':
        for (const property of this.properties.forKind(kind)) {
          const included = property.inAllprop || propfind.include.some((n) => n.ns === property.name.ns && n.local === property.name.local);
          const value = included ? property.compute(context) : undefined;
          if (value !== undefined) found.push({ name: property.name, value });
        }
        break;
      case 'prop':
        for (const name of propfind.props) {
          const value = this.properties.find(name, kind)?.compute(context);
          if (value === undefined) missing.push({ name });
          else found.push({ name, value });
        }
        break;
    }
    return {
      href: encodeHref(context.resource.path),
      propstats: [
        { status: 200, props: found },
        { status: 404, props: minimal ? [] : missing },
      ],
    };
  }
}
