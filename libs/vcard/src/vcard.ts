import { ICAL, withoutPrototype } from '@davmesh/ical';

export type VCardVersion = '3.0' | '4.0';
export const VCARD_VERSIONS: readonly VCardVersion[] = ['3.0', '4.0'];

/** jCard (RFC 7095): [name, properties, components]. */
export type JCard = [string, JCardProperty[], unknown[]];
/** [name, parameters, value type, ...values] */
export type JCardProperty = [string, Record<string, string | string[]>, string, ...unknown[]];

export class VCardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VCardError';
  }
}

/** What the contacts service indexes of a vCard. */
export interface VCardSummary {
  version: VCardVersion;
  uid: string;
  fn: string;
  emails: string[];
}

export interface ParsedVCard {
  jcard: JCard;
  summary: VCardSummary;
}

/**
 * Parses and validates one vCard 3.0 or 4.0 (RFC 6352 5.1: exactly one vCard, with a UID;
 * RFC 6350/2426: VERSION and FN present).
 */
export function parseVCard(text: string): ParsedVCard {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(text);
  } catch (error) {
    throw new VCardError(`not a vCard: ${(error as Error).message}`);
  }
  const cards = isJCard(parsed) ? [parsed] : Array.isArray(parsed) ? (parsed as unknown[]) : [];
  if (cards.length !== 1 || !isJCard(cards[0])) throw new VCardError('an address object holds exactly one vCard');
  const jcard = cards[0];
  if (jcard[0] !== 'vcard') throw new VCardError('the component is not a VCARD');
  if (jcard[2].length > 0) throw new VCardError('a vCard holds no nested components');
  // `END;X=1:…` parses as a property, but is written back as the END of the card.
  if (jcard[1].some((p) => p[0] === 'begin' || p[0] === 'end')) throw new VCardError('BEGIN and END delimit a vCard, they are no properties');
  for (const property of jcard[1]) {
    property[1] = flatParams(property[1]);
    const group = property[1]['group'];
    // Written in front of the name: a space or separator there (a GROUP=" " parameter) would break the line.
    if (group !== undefined && !GROUP_NAME.test(String(group))) throw new VCardError(`${String(group)} is no group name`);
  }
  const version = firstValue(jcard, 'version');
  if (version !== '3.0' && version !== '4.0') throw new VCardError(`VERSION must be 3.0 or 4.0, not ${version ?? 'missing'}`);
  const uid = firstValue(jcard, 'uid');
  if (!uid) throw new VCardError('the vCard has no UID');
  const fn = firstValue(jcard, 'fn');
  if (fn === undefined) throw new VCardError('the vCard has no FN');
  const emails = propertiesNamed(jcard, 'email').map((p) => String(p[3]));
  return { jcard, summary: { version, uid, fn, emails } };
}

/** RFC 6350 3.3 group = 1*(ALPHA / DIGIT / "-"); underscores tolerated. */
const GROUP_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Parameter values as flat strings: ical.js nests a repeated list-valued parameter
 * (`TYPE=HOME,PREF;TYPE=WORK` gives [['home','pref'],'work']), which nothing downstream expects.
 */
function flatParams(params: Record<string, unknown>): Record<string, string | string[]> {
  const flat: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(params)) {
    flat[name] = Array.isArray(value) ? (value.flat(Infinity) as unknown[]).map(String) : String(value);
  }
  return flat;
}

interface ValueType {
  toICAL?(value: string, structuredEscape?: string): string;
}

interface DesignSet {
  value: Record<string, ValueType | undefined>;
  param: Record<string, { multiValue?: string } | undefined>;
  property: Record<string, { defaultType: string; allowedTypes?: string[]; structuredValue?: string; multiValue?: string } | undefined>;
}

const V4_DESIGN = ICAL.design.getDesignSet('vcard') as unknown as DesignSet;
const V3_DESIGN = ICAL.design.getDesignSet('vcard3') as unknown as DesignSet;
/** ical.js escapes commas in vCard 4 URIs (data: URIs included); RFC 6350 leaves URIs unescaped. */
const V4_WRITE_DESIGN: DesignSet = { ...V4_DESIGN, value: withoutPrototype({ ...V4_DESIGN.value, uri: {} }) };

interface TextType {
  fromICAL(value: string, structuredEscape?: string): string;
  toICAL(value: string, structuredEscape?: string): string;
}
const vcardText = V4_DESIGN.value['text'] as TextType;
const unescapeStructured = vcardText.fromICAL.bind(vcardText);
const escapeText = vcardText.toICAL.bind(vcardText);
/**
 * ical.js leaves `\;` escaped in unstructured vCard text (NOTE, TITLE …), which RFC 2426 requires
 * writers to escape: read it as the semicolon it is (shared by the 3.0 and 4.0 design sets, and
 * by ICAL.parse, hence patched in place), so converting does not show clients a stray backslash.
 */
vcardText.fromICAL = (value, structuredEscape) =>
  structuredEscape ? unescapeStructured(value, structuredEscape) : value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
/** vCard 3.0 text escapes semicolons too (RFC 2426 5.8.4), so 3.0 readers do not take them for separators. */
const V3_WRITE_DESIGN: DesignSet = {
  ...V3_DESIGN,
  value: withoutPrototype({
    ...V3_DESIGN.value,
    text: { ...vcardText, toICAL: (value: string, structuredEscape?: string) => escapeText(value, structuredEscape || ';') },
  }),
};

export function designFor(version: VCardVersion): DesignSet {
  return version === '4.0' ? V4_DESIGN : V3_DESIGN;
}

export function serializeJCard(jcard: JCard): string {
  const design = firstValue(jcard, 'version') === '4.0' ? V4_WRITE_DESIGN : V3_WRITE_DESIGN;
  const stringify = ICAL.stringify as unknown as { component(component: unknown, design?: unknown): string };
  return stringify.component([jcard[0], jcard[1].map((p) => writable(p, design)), []], design) + '\r\n';
}

const VALUE_TYPE_TOKEN = /^[a-z0-9-]+$/;
const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * A property as ical.js's serializer can write it in the target design; any parsed vCard, however
 * odd, must serialize to one that parses back:
 * - a VALUE type that is no token (a quoted `VALUE="a\nb"`) would break the line: the default type instead;
 * - a structured value (an array) where the target has no structure is joined, as its text reads;
 * - a number or boolean parsed for one type and written as another (VALUE=integer on a TZ) becomes its text;
 * - a line break in a value written without escaping (URIs, unknown types) is written `\n`.
 */
function writable(property: JCardProperty, design: DesignSet): JCardProperty {
  const [name, params, parsedType, ...values] = property;
  const details = design.property[name];
  const type = VALUE_TYPE_TOKEN.test(parsedType) ? parsedType : (details?.defaultType ?? 'unknown');
  const structured = details?.structuredValue !== undefined;
  const escapesBreaks = breaksEscaped(design.value[type]);
  const scalar = (value: unknown): unknown => {
    if ((typeof value === 'boolean' && type === 'boolean') || (typeof value === 'number' && (type === 'float' || type === 'integer'))) return value;
    const text = String(value);
    return escapesBreaks ? text : text.replace(LINE_BREAK, '\\n');
  };
  const written = values.map((value) => {
    if (!Array.isArray(value)) return scalar(value);
    if (structured) return value.map((part) => (Array.isArray(part) ? part.map(scalar) : scalar(part)));
    return scalar(value.map((part) => (Array.isArray(part) ? part.join(',') : String(part))).join(';'));
  });
  return [name, params, type, ...written] as JCardProperty;
}

function breaksEscaped(type: ValueType | undefined): boolean {
  try {
    return typeof type?.toICAL === 'function' && type.toICAL('\n') !== '\n';
  } catch {
    return false;
  }
}

function isJCard(value: unknown): value is JCard {
  return Array.isArray(value) && typeof value[0] === 'string' && Array.isArray(value[1]);
}

export function propertiesNamed(jcard: JCard, name: string): JCardProperty[] {
  return jcard[1].filter((p) => p[0] === name);
}

function firstValue(jcard: JCard, name: string): string | undefined {
  const property = propertiesNamed(jcard, name)[0];
  if (!property) return undefined;
  return propertyText(property);
}

/** A property's value as text: structured values joined by `;`, lists by `,`. */
export function propertyText(property: JCardProperty): string {
  return property
    .slice(3)
    .map((value) => (Array.isArray(value) ? value.map((part) => (Array.isArray(part) ? part.join(',') : String(part))).join(';') : String(value)))
    .join(',');
}

/** The VERSION of a vCard text without a full parse, for negotiating conversions. */
export function vcardVersionOf(text: string): VCardVersion | undefined {
  const match = /^VERSION:\s*([34]\.0)\s*$/im.exec(text);
  return match ? (match[1] as VCardVersion) : undefined;
}
