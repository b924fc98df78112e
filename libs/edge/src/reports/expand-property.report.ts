import { Inject, Injectable } from '@nestjs/common';
import { EffectiveConfigCache } from '@davmesh/config-client';
import { dav, el, responseContent, sameName, type MultistatusResponse, type QName, type XmlContent, type XmlElement, type XmlNode } from '@davmesh/dav';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { type PropertyContext } from '../properties/property';
import { PropertyRenderer } from '../properties/property-renderer';
import { resolveResource } from '../resources/resource';
import { type DavReport } from './dav-report';
import { startMultistatus } from './report-request';

/** One DAV:property of the request, with the properties wanted of the resources its hrefs name. */
interface WantedProperty {
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
 * RFC 3253 3.8 on the user's principal: the properties asked for, where a property holds
 * hrefs of principals, each href replaced by that principal's response with the nested
 * properties (Apple asks this way for proxy and address sets). Hrefs we cannot expand stay.
 */
@Injectable()
export class ExpandPropertyReport implements DavReport {
  readonly name = dav('expand-property');
  readonly kinds = ['principal'] as const;

  constructor(
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
    @Inject(EffectiveConfigCache) private readonly userConfig: EffectiveConfigCache,
  ) {}

  async run(exchange: DavExchange, body: XmlElement): Promise<void> {
    const { response, resource, user, prefix } = exchange;
    if (resource.kind !== 'principal' || resource.userId !== user.userId) throw new DavHttpError(403, 'expand-property is answered on your own principal');
    const context: PropertyContext = { currentUser: user, subjectUser: user, resource, prefix, config: await this.userConfig.forUser(user.userId), reports: [] };
    const expanded = this.expand(context, wantedProperties(body), MAX_NESTING);
    const writer = startMultistatus(response);
    await writer.write(writer.response(expanded));
    writer.end();
  }

  private expand(context: PropertyContext, wanted: WantedProperty[], nesting: number): MultistatusResponse {
    const described = this.renderer.describe(context, { kind: 'prop', props: wanted.map((w) => w.name) }, false);
    if (nesting === 0) return described;
    for (const propstat of described.propstats) {
      for (const prop of propstat.props) {
        const nested = wanted.find((w) => sameName(w.name, prop.name))?.nested ?? [];
        if (nested.length > 0) prop.value = this.expandHrefs(context, prop.value, nested, nesting - 1);
      }
    }
    return described;
  }

  private expandHrefs(context: PropertyContext, value: XmlContent, nested: WantedProperty[], nesting: number): XmlContent {
    if (!Array.isArray(value)) return value;
    return value.map((node): XmlNode => {
      if (!sameName(node.name, dav('href')) || typeof node.content !== 'string') return node;
      const target = resolveResource(node.content, context.prefix);
      if (target?.kind !== 'principal' || target.userId !== context.currentUser.userId) return node;
      return el(dav('response'), responseContent(this.expand({ ...context, resource: target }, nested, nesting)));
    });
  }
}
