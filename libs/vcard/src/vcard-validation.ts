import { CONFIG_KEYS } from '@davmesh/contracts';
import { contentLines, type ContentLine } from './vcard-content-lines';
import { convertVCard } from './vcard-convert';
import { parseVCard, VCARD_VERSIONS, vcardVersionOf, VCardError, type ParsedVCard } from './vcard';

/** Longest values accepted, in characters (davmesh.limits.parameterLength, davmesh.limits.propertyLength). */
export interface VCardLimits {
  parameterLength: number;
  propertyLength: number;
}

export const DEFAULT_VCARD_LIMITS: VCardLimits = {
  parameterLength: CONFIG_KEYS['davmesh.limits.parameterLength'].default,
  propertyLength: CONFIG_KEYS['davmesh.limits.propertyLength'].default,
};

const BINARY_PROPERTIES = new Set(['photo', 'logo', 'sound', 'key']);

/**
 * Everything a PUT checks before storing a vCard, so that what is stored can always be served:
 * no NUL (PostgreSQL text cannot hold it), values within the limits, parameter names a parsed
 * vCard can hold, a valid vCard (parseVCard), and one that converts to both versions and reads back.
 */
export function validateVCard(text: string, limits: VCardLimits = DEFAULT_VCARD_LIMITS): ParsedVCard {
  if (text.includes('\0')) throw new VCardError('a vCard cannot hold NUL characters');
  for (const line of contentLines(text)) checkLine(line, limits);
  const parsed = parseVCard(text);
  for (const version of VCARD_VERSIONS) {
    // The stored version is served as the bytes just parsed.
    if (version === parsed.summary.version || version === vcardVersionOf(text)) continue;
    let served: ParsedVCard;
    try {
      served = parseVCard(convertVCard(text, version));
    } catch (error) {
      throw new VCardError(`the vCard cannot be served as vCard ${version}: ${(error as Error).message}`);
    }
    if (served.summary.uid !== parsed.summary.uid || served.summary.fn !== parsed.summary.fn) {
      throw new VCardError(`the vCard would change its UID or FN served as vCard ${version}`);
    }
  }
  return parsed;
}

function checkLine(line: ContentLine, limits: VCardLimits): void {
  for (const param of line.params) {
    if (unquotedLength(param.value) > limits.parameterLength) {
      throw new VCardError(`a ${param.name.toUpperCase()} parameter is longer than ${limits.parameterLength} characters`);
    }
    if (!holdableKey(param.name)) throw new VCardError(`a parameter named ${param.name} cannot be kept`);
  }
  if (line.value.length > limits.propertyLength && !isInlineBinary(line)) {
    throw new VCardError(`a ${line.name.toUpperCase()} value is longer than ${limits.propertyLength} characters`);
  }
}

/** A parameter value's length as read: the double quotes around it (or around each of a list's values) not counted. */
function unquotedLength(raw: string): number {
  let quotes = 0;
  for (const c of raw) if (c === '"') quotes++;
  return raw.length - quotes;
}

/**
 * ical.js gathers a property's parameters in a plain object: a name that object cannot hold as
 * its own key (`__proto__`, whose setter ignores a string) would be dropped from every conversion.
 */
function holdableKey(name: string): boolean {
  const probe: Record<string, string> = {};
  probe[name] = '';
  return Object.hasOwn(probe, name);
}

/** PHOTO, LOGO, SOUND and KEY inline (3.0 ENCODING=b, 4.0 data: URI): bounded by max-resource-size instead. */
function isInlineBinary(line: ContentLine): boolean {
  if (!BINARY_PROPERTIES.has(line.name)) return false;
  return /^data:/i.test(line.value) || line.params.some((p) => p.name === 'encoding' && /^"?(b|base64)"?$/i.test(p.value));
}
