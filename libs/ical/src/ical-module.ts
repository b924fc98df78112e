// ical.js 2 is an ES module with a CommonJS build; this is the one place that loads it.
import ICAL from 'ical.js';

interface DesignSet {
  value: object;
  param: object;
  property: object;
}

/**
 * ical.js looks component, property, parameter and value-type names up with `in` and `[]` on
 * plain objects, so a name like `constructor` or `__proto__` found Object.prototype's members
 * (a design entry without a default type) and broke the serializer: a stored object with a
 * `constructor:x` line could no longer be served. The design maps get no prototype, in place,
 * since ICAL.parse and ICAL.stringify take them from ICAL.design.
 */
export function withoutPrototype<T extends object>(map: T): T {
  return Object.assign(Object.create(null) as T, map);
}
const design = ICAL.design as unknown as { components: object; icalendar: DesignSet; vcard: DesignSet; vcard3: DesignSet };
for (const set of [design.icalendar, design.vcard, design.vcard3]) {
  set.property = withoutPrototype(set.property);
  set.param = withoutPrototype(set.param);
  set.value = withoutPrototype(set.value);
}
design.components = withoutPrototype(design.components);

export default ICAL;
export type IcalComponent = InstanceType<typeof ICAL.Component>;
export type IcalTime = InstanceType<typeof ICAL.Time>;
