import { Inject, Injectable } from '@nestjs/common';
import { RenderedMemberListings, renderedPages } from '../caches/member-listing-cache';
import { ServerSettingsService } from '../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { minimalAnswer } from '../http/dav-headers';
import { xmlBodyLimits } from '../http/request-body';
import { type PropertyContext } from '../properties/property';
import { PropertyRenderer } from '../properties/property-renderer';
import { startMultistatus } from '../reports/report-request';
import { DAV_TREES, type ResourceTree } from '../resources/adapters';
import { type ResourceKind } from '../resources/resource';
import { type DavMethod } from './dav-method';
import { readPropfindInput } from './propfind-input';

/** PROPFIND on any resource a tree (principals, CalDAV, CardDAV) holds: itself and, with Depth 1, its members streamed page by page. */
@Injectable()
export class PropfindMethod implements DavMethod {
  readonly method = 'PROPFIND';
  readonly kinds: readonly ResourceKind[];

  constructor(
    @Inject(DAV_TREES) private readonly trees: ResourceTree[],
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
    @Inject(RenderedMemberListings) private readonly rendered: RenderedMemberListings,
  ) {
    this.kinds = trees.flatMap((t) => t.kinds);
  }

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource } = exchange;
    const tree = this.trees.find((t) => t.kinds.includes(resource.kind));
    if (!tree) throw new DavHttpError(405, 'PROPFIND is not allowed on this resource');
    const nodeOf = await tree.open(exchange);
    const { depth, propfind } = await readPropfindInput(request, xmlBodyLimits(await this.serverSettings.current()));
    const node = await nodeOf(propfind);
    const minimal = minimalAnswer(request, response);
    const writer = startMultistatus(response);
    const describe = (context: PropertyContext) => writer.response(this.renderer.describe(context, propfind, minimal));
    await writer.write(describe(node.self));
    if (depth === '1' && node.members) {
      const members = node.members;
      const render = async function* () {
        for await (const page of members()) yield [page.map(describe).join('')];
      };
      for await (const page of renderedPages(this.rendered, node.membersKey, propfind, minimal, render)) for (const xml of page) await writer.write(xml);
    }
    writer.end();
  }
}

