import { qnameKey, type QName } from '@davmesh/dav';
import { type ResourceKind } from '../resources/resource';
import { type LiveProperty } from './property';

/**
 * PROPFIND prop, allprop and propname, REPORT props and PROPPATCH all read this one table.
 * A name may have several entries, one per set of resource kinds.
 */
export class PropertyRegistry {
  private readonly byName = new Map<string, LiveProperty[]>();

  constructor(properties: readonly LiveProperty[]) {
    for (const property of properties) {
      const key = qnameKey(property.name);
      const entries = this.byName.get(key) ?? [];
      if (entries.some((e) => e.kinds.some((kind) => property.kinds.includes(kind)))) {
        throw new Error(`property ${key} is registered twice for one resource kind`);
      }
      entries.push(property);
      this.byName.set(key, entries);
    }
  }

  find(name: QName, kind: ResourceKind): LiveProperty | undefined {
    return this.byName.get(qnameKey(name))?.find((p) => p.kinds.includes(kind));
  }

  /** Whether the name is a live property of any resource kind. */
  isLive(name: QName): boolean {
    return this.byName.has(qnameKey(name));
  }

  forKind(kind: ResourceKind): LiveProperty[] {
    return [...this.byName.values()].flat().filter((p) => p.kinds.includes(kind));
  }
}
