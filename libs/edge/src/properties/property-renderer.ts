import { Inject, Injectable } from '@nestjs/common';
import { encodeHref, sameName, type MultistatusResponse, type PropfindRequest, type PropValue } from '@davmesh/dav';
import { type PropertyContext } from './property';
import { PropertyRegistry } from './property-registry';

/** One resource's propstats from the property registry, for PROPFIND and REPORT alike. */
@Injectable()
export class PropertyRenderer {
  constructor(@Inject(PropertyRegistry) private readonly properties: PropertyRegistry) {}

  describe(context: PropertyContext, propfind: PropfindRequest, minimal: boolean): MultistatusResponse {
    const kind = context.resource.kind;
    const found: PropValue[] = [];
    const missing: PropValue[] = [];
    const dead = context.deadProperties ?? addressbookDeadProperties(context);
    switch (propfind.kind) {
      case 'propname':
        for (const property of this.properties.forKind(kind)) found.push({ name: property.name });
        for (const property of dead) found.push({ name: property.name });
        break;
      case 'allprop':
        for (const property of this.properties.forKind(kind)) {
          const included = property.inAllprop || propfind.include.some((n) => sameName(n, property.name));
          const value = included ? property.compute(context) : undefined;
          if (value !== undefined) found.push({ name: property.name, value });
        }
        found.push(...dead);
        break;
      case 'prop':
        for (const name of propfind.props) {
          const live = this.properties.find(name, kind);
          const value = live ? live.compute(context) : dead.find((p) => sameName(p.name, name))?.value;
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

/** Address books keep their dead properties as stored XML text; written back as it came. */
function addressbookDeadProperties(context: PropertyContext): PropValue[] {
  if (context.resource.kind !== 'addressbook') return [];
  return (context.addressbook?.folder?.deadProperties ?? []).map((p) => ({ name: { ns: p.ns, local: p.name }, value: { raw: p.xml } }));
}
