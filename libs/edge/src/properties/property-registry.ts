import { qnameKey, type QName } from '@davmesh/dav';
import { type ResourceKind } from '../resources/resource';
import { type LiveProperty } from './property';

/** PROPFIND prop, allprop and propname (and later PROPPATCH) all read this one table. */
export class PropertyRegistry {
  private readonly byName = new Map<string, LiveProperty>();

  constructor(properties: readonly LiveProperty[]) {
    for (const property of properties) {
      const key = qnameKey(property.name);
      if (this.byName.has(key)) throw new Error(`property ${key} is registered twice`);
      this.byName.set(key, property);
    }
  }

  find(name: QName, kind: ResourceKind): LiveProperty | undefined {
    const property = this.byName.get(qnameKey(name));
    return property && property.kinds.includes(kind) ? property : undefined;
  }

  forKind(kind: ResourceKind): LiveProperty[] {
    return [...this.byName.values()].filter((p) => p.kinds.includes(kind));
  }
}
