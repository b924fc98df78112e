import { designFor, parseVCard, serializeJCard, vcardVersionOf, type JCard, type JCardProperty, type VCardVersion } from './vcard';

const BINARY_PROPERTIES = new Set(['photo', 'logo', 'sound', 'key']);
const APPLE_KIND = 'x-addressbookserver-kind';
const APPLE_MEMBER = 'x-addressbookserver-member';

/**
 * Converts a vCard between 3.0 and 4.0 (RFC 6350 appendix A), keeping every property:
 * what has no counterpart is carried over unchanged, so 3.0 → 4.0 → 3.0 gives back the same fields.
 */
export function convertVCard(text: string, target: VCardVersion): string {
  if (vcardVersionOf(text) === target) return text;
  const { jcard, summary } = parseVCard(text);
  if (summary.version === target) return text;
  const properties = jcard[1]
    .filter((p) => p[0] !== 'version')
    .map((p) => retype(target === '4.0' ? toV4(p) : toV3(p), summary.version, target));
  const converted: JCard = [jcard[0], [['version', {}, 'text', target], ...properties], jcard[2]];
  return serializeJCard(converted);
}

/**
 * A value written in the source version's default type takes the target's default type;
 * an explicit type the target does not allow falls back to the target's default.
 */
function retype(property: JCardProperty, from: VCardVersion, to: VCardVersion): JCardProperty {
  const [name, params, type] = property;
  const source = designFor(from).property[name];
  const target = designFor(to).property[name];
  if (!target) {
    // A URI property only the source version defines (IMPP, RELATED in 3.0): written without VALUE, read back the same.
    // (Text stays text, so that it is escaped.)
    return source && source.defaultType === type && type === 'uri' ? [name, params, 'unknown', ...property.slice(3)] : property;
  }
  // 3.0 has no date-and-or-time: its date or date-time is what a 4.0 reader sees in a plain BDAY/ANNIVERSARY.
  if (to === '4.0' && target.defaultType === 'date-and-or-time' && (type === 'date' || type === 'date-time')) {
    return [name, params, target.defaultType, ...property.slice(3)];
  }
  const isSourceDefault = source ? source.defaultType === type : type === 'unknown';
  const allowed = type === target.defaultType || (target.allowedTypes ?? []).includes(type);
  if (!isSourceDefault && allowed) return property;
  return [name, params, target.defaultType, ...property.slice(3)];
}

function clone(property: JCardProperty): JCardProperty {
  return [property[0], { ...property[1] }, property[2], ...property.slice(3)] as JCardProperty;
}

function typeList(params: Record<string, string | string[]>): string[] {
  const type = params['type'];
  if (type === undefined) return [];
  return (Array.isArray(type) ? type : [type]).flatMap((t) => t.split(','));
}

function setTypes(params: Record<string, string | string[]>, types: string[]): void {
  if (types.length === 0) delete params['type'];
  else params['type'] = types.length === 1 ? types[0] : types;
}

function toV4(source: JCardProperty): JCardProperty {
  const property = clone(source);
  const [name, params] = property;
  const types = typeList(params);
  if (types.some((t) => t.toLowerCase() === 'pref')) {
    setTypes(params, types.filter((t) => t.toLowerCase() !== 'pref'));
    params['pref'] = '1';
  }
  if (BINARY_PROPERTIES.has(name) && String(params['encoding'] ?? '').toLowerCase() === 'b') {
    const mediaType = mediaTypeFor(name, typeList(params)[0]);
    delete params['encoding'];
    delete params['type'];
    return [name, params, 'uri', `data:${mediaType};base64,${String(property[3])}`];
  }
  const geo = property[3];
  if (name === 'geo' && Array.isArray(geo) && geo.length === 2) return [name, params, 'uri', `geo:${geo[0]},${geo[1]}`];
  if (name === APPLE_KIND) return ['kind', params, 'text', String(property[3]).toLowerCase()];
  if (name === APPLE_MEMBER) return ['member', params, 'uri', ...property.slice(3)];
  return property;
}

function toV3(source: JCardProperty): JCardProperty {
  const property = clone(source);
  const [name, params] = property;
  if (params['pref'] !== undefined) {
    const pref = String(params['pref']);
    // 3.0 knows only "preferred" (TYPE=PREF); other ranks stay as a PREF parameter so they come back.
    if (pref === '1') {
      delete params['pref'];
      setTypes(params, [...typeList(params), 'PREF']);
    }
  }
  const geoUri = name === 'geo' ? /^geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/i.exec(String(property[3])) : null;
  if (geoUri) return [name, params, 'float', [Number(geoUri[1]), Number(geoUri[2])]];
  const dataUri = BINARY_PROPERTIES.has(name) ? /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(String(property[3])) : null;
  if (dataUri && dataUri[2]) {
    const subtype = (dataUri[1] ?? 'application/octet-stream').split('/')[1]?.toUpperCase() ?? 'JPEG';
    return [name, { ...params, encoding: 'b', type: subtype }, 'binary', dataUri[3]];
  }
  if (name === 'kind') return [APPLE_KIND, params, 'unknown', String(property[3])];
  if (name === 'member') return [APPLE_MEMBER, params, 'unknown', ...property.slice(3)];
  return property;
}

function mediaTypeFor(name: string, type: string | undefined): string {
  const major = name === 'sound' ? 'audio' : name === 'key' ? 'application' : 'image';
  return `${major}/${(type ?? 'jpeg').toLowerCase()}`;
}
