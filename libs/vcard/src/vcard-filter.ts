import { textMatches } from '@davmesh/collation';
import { type AddressbookFilter, type ParamFilter, type PropFilter } from '@davmesh/contracts';
import { propertyText, type JCard, type JCardProperty } from './vcard';

/** RFC 6352 10.5: does this parsed vCard satisfy the filter? An empty filter matches everything. */
export function matchesFilter(jcard: JCard, filter: AddressbookFilter): boolean {
  if (filter.propFilters.length === 0) return true;
  const results = filter.propFilters.map((propFilter) => matchesPropFilter(jcard, propFilter));
  return filter.test === 'allof' ? results.every(Boolean) : results.some(Boolean);
}

function matchesPropFilter(jcard: JCard, filter: PropFilter): boolean {
  const wanted = filter.name.toLowerCase();
  const properties = jcard[1].filter((p) => p[0] === wanted);
  if (filter.isNotDefined) return properties.length === 0;
  if (properties.length === 0) return false;
  if (filter.textMatches.length === 0 && filter.paramFilters.length === 0) return true;
  return properties.some((property) => {
    const tests = [
      ...filter.textMatches.map((match) => textMatches(propertyText(property), match)),
      ...filter.paramFilters.map((paramFilter) => matchesParamFilter(property, paramFilter)),
    ];
    return filter.test === 'allof' ? tests.every(Boolean) : tests.some(Boolean);
  });
}

function matchesParamFilter(property: JCardProperty, filter: ParamFilter): boolean {
  const params = property[1];
  const name = filter.name.toLowerCase();
  // A client's param-filter name (`constructor`) must not find Object.prototype's members.
  const value = Object.hasOwn(params, name) ? params[name] : undefined;
  if (filter.isNotDefined) return value === undefined;
  if (value === undefined) return false;
  if (!filter.textMatch) return true;
  const values = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(','));
  const match = filter.textMatch;
  const positive = values.some((v) => textMatches(v, { ...match, negate: false }));
  return match.negate ? !positive : positive;
}
