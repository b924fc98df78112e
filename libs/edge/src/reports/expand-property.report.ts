import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { BusClient } from '@davmesh/bus';
import { EffectiveConfigCache } from '@davmesh/config-client';
import { dav, el, responseContent, sameName, type MultistatusResponse, type QName, type XmlContent, type XmlElement, type XmlNode } from '@davmesh/dav';
import { CaldavScopes } from '../caldav/caldav-scope';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { type PropertyContext } from '../properties/property';
import { PropertyRenderer } from '../properties/property-renderer';
import { resolveResource } from '../resources/resource';
import { type DavReport } from './dav-report';
import { ExpandTargets } from './expand-targets';
import { ReportRegistry } from './report-registry';
import { startMultistatus } from './report-request';

/** One DAV:property of an expand-property body, with the properties wanted of the resources its hrefs name. */
export interface WantedProperty {
  name: QName;
  nested: WantedProperty[];
}

const MAX_NESTING = 3;

function wantedProperties(element: XmlElement): WantedProperty[] {
  return element.children
    .filter((child) => sameName(child.name, dav('property')))
    .map((property) => ({
      name: { ns: property.attributes['namespace'] ?? 'DAV:', local: property.attributes['name'] ?? '' },
      nested: wantedProperties(property),
    }));
}

/**
 * RFC 3253 3.8 on a principal of the user's context, their calendar home or one of its
 * calendars: the properties asked for, where a property holds hrefs, each href the user can
 * see replaced by that resource's response with the nested properties (Apple asks this way
 * for owners, proxy and address sets). Hrefs we cannot expand stay as they are.
 */
@Injectable()
export class ExpandPropertyReport implements DavReport<WantedProperty[]> {
  readonly name = dav('expand-property');
  readonly kinds = ['principal', 'calendar-home', 'calendar'] as const;

  constructor(
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
    @Inject(EffectiveConfigCache) private readonly userConfig: EffectiveConfigCache,
    @Inject(BusClient) private readonly bus: BusClient,
    @Inject(CaldavScopes) private readonly scopes: CaldavScopes,
    // The registry is built from the reports, this one included: looked up when a request runs.
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  read(body: XmlElement): WantedProperty[] {
    return wantedProperties(body);
  }

  async run(exchange: DavExchange, wanted: WantedProperty[]): Promise<void> {
    const { response, resource, user, prefix } = exchange;
    const reports = this.moduleRef.get(ReportRegistry, { strict: false });
    const targets = new ExpandTargets(user, prefix, await this.userConfig.forUser(user.userId), { bus: this.bus, scopes: this.scopes, reports });
    const context = await targets.contextOf(resource);
    if (!context) throw new DavHttpError(404, 'no such resource');
    const expanded = await this.expand(targets, context, wanted, MAX_NESTING);
    const writer = startMultistatus(response);
    await writer.write(writer.response(expanded));
    writer.end();
  }

  private async expand(targets: ExpandTargets, context: PropertyContext, wanted: WantedProperty[], nesting: number): Promise<MultistatusResponse> {
    const described = this.renderer.describe(context, { kind: 'prop', props: wanted.map((w) => w.name) }, false);
    if (nesting === 0) return described;
    for (const propstat of described.propstats) {
      for (const prop of propstat.props) {
        const nested = wanted.find((w) => sameName(w.name, prop.name))?.nested ?? [];
        if (nested.length > 0) prop.value = await this.expandHrefs(targets, context, prop.value, nested, nesting - 1);
      }
    }
    return described;
  }

  private async expandHrefs(targets: ExpandTargets, context: PropertyContext, value: XmlContent, nested: WantedProperty[], nesting: number): Promise<XmlContent> {
    if (!Array.isArray(value)) return value;
    const expanded: XmlNode[] = [];
    for (const node of value) {
      const target = sameName(node.name, dav('href')) && typeof node.content === 'string' ? resolveResource(node.content, context.prefix) : undefined;
      const targetContext = target && (await this.nestedContext(targets, target));
      expanded.push(targetContext ? el(dav('response'), responseContent(await this.expand(targets, targetContext, nested, nesting))) : node);
    }
    return expanded;
  }

  /** A nested href the user may not see (CalDAV off included) stays an href instead of failing the report. */
  private async nestedContext(targets: ExpandTargets, target: NonNullable<ReturnType<typeof resolveResource>>): Promise<PropertyContext | undefined> {
    try {
      return await targets.contextOf(target);
    } catch (error) {
      if (error instanceof DavHttpError && error.status === 403) return undefined;
      throw error;
    }
  }
}
