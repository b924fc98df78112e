import { Inject, Injectable } from '@nestjs/common';
import { type DeadProperty } from '@davmesh/contracts';
import { encodeHref, type MultistatusResponse, type PropfindRequest, type PropValue, type QName } from '@davmesh/dav';
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
    const dead = deadPropertiesOf(context);
    const deadValue = (name: QName) => dead.find((p) => p.ns === name.ns && p.name === name.local);
    switch (propfind.kind) {
      case 'propname':
        for (const property of this.properties.forKind(kind)) found.push({ name: property.name });
        for (const property of dead) found.push({ name: { ns: property.ns, local: property.name } });
        break;
      case 'allprop':
        for (const property of this.properties.forKind(kind)) {
          const included = property.inAllprop || propfind.include.some((n) => n.ns === property.name.ns && n.local === property.name.local);
          const value = included ? property.compute(context) : undefined;
          if (value !== undefined) found.push({ name: property.name, value });
        }
        // RFC 4918 9.1: allprop includes the dead properties.
        for (const property of dead) found.push({ name: { ns: property.ns, local: property.name }, stored: property.xml });
        break;
      case 'prop':
        for (const name of propfind.props) {
          const stored = deadValue(name);
          const value = stored ? undefined : this.properties.find(name, kind)?.compute(context);
          if (stored) found.push({ name, stored: stored.xml });
          else if (value === undefined) missing.push({ name });
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

/** Dead properties are stored on address books, calendars and the schedule inbox (by their folders). */
function deadPropertiesOf(context: PropertyContext): readonly DeadProperty[] {
  if (context.resource.kind === 'addressbook') return context.addressbook?.folder?.deadProperties ?? [];
  if (context.resource.kind === 'calendar' || context.resource.kind === 'schedule-inbox') return context.calendar?.folder.deadProperties ?? [];
  return [];
}
