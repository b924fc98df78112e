import { Inject, Injectable } from '@nestjs/common';
import { encodeHref, type MultistatusResponse, type PropfindRequest, type PropValue } from '@davmesh/dav';
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
