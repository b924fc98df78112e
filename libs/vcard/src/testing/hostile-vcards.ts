import fc from 'fast-check';
import { REAL_WORLD_VCARDS } from './real-world-vcards';

/** Property names clients write, names ical.js treats specially, and names an object map would confuse. */
const PROPERTY_NAMES = [
  'FN', 'N', 'NOTE', 'TEL', 'EMAIL', 'ADR', 'LABEL', 'ORG', 'TITLE', 'NICKNAME', 'CATEGORIES', 'URL', 'UID', 'VERSION', 'PRODID', 'REV',
  'PHOTO', 'LOGO', 'SOUND', 'KEY', 'GEO', 'TZ', 'BDAY', 'ANNIVERSARY', 'GENDER', 'LANG', 'KIND', 'MEMBER', 'RELATED', 'IMPP', 'CLIENTPIDMAP',
  'X-ADDRESSBOOKSERVER-KIND', 'X-ADDRESSBOOKSERVER-MEMBER', 'X-ABLabel', 'X-ABDATE', 'BEGIN', 'END',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype',
];
const PARAM_NAMES = [
  'TYPE', 'PREF', 'VALUE', 'ENCODING', 'CHARSET', 'LABEL', 'ALTID', 'PID', 'GROUP', 'MEDIATYPE', 'CALSCALE', 'SORT-AS', 'GEO', 'TZ',
  'LANGUAGE', 'X-SERVICE-TYPE', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf',
];
const VALUE_TYPES = [
  'text', 'uri', 'date', 'time', 'date-time', 'date-and-or-time', 'timestamp', 'boolean', 'integer', 'float', 'utc-offset',
  'language-tag', 'binary', 'phone-number', 'unknown', 'constructor', '__proto__',
];
const GROUPS = ['item1', 'ITEM2', '__proto__', 'constructor', 'toString', 'a.b'];
/** Values that are almost right: broken dates, URIs, binary, escapes. */
const TRICKY_VALUES = [
  'not-a-date', '2026-99-99T99:99:99', '--0412', 'T1430', '19961022T140000', '20090808T1430-0500', '-0500', '+14:00', 'true', '1.5', 'NaN',
  'geo:52.52,13.405', 'geo:', 'data:image/jpeg;base64,/9j/4AAQ', 'data:,x', 'data:;base64,', 'data:image/png;base64', 'tel:+1-555',
  'urn:uuid:', ';;;;;;', ',,,', '\\', '\\\\n', '\\,\\;\\:', 'a\\nb', '^^^n^\'', '"quoted"', '', ' ', 'x,y;z', '1;2', '52.52;13.405',
];
const SPECIAL_CHARS = [';', ':', ',', '"', '\\', '=', '^', '.', '\r', '\n', ' ', '\t', '\0', "'", 'é', '😀', 'a', '1', '-', 'T', 'Z', '+'];

const specialText = fc.string({ unit: fc.constantFrom(...SPECIAL_CHARS), maxLength: 12 });
const fragment = fc.oneof(fc.constantFrom(...TRICKY_VALUES), specialText, fc.string({ unit: 'binary', maxLength: 12 }));

const param = fc.oneof(
  fc.tuple(fc.constantFrom(...PARAM_NAMES), fragment).map(([name, value]) => `;${name}=${value}`),
  fc.constantFrom(...VALUE_TYPES).map((type) => `;VALUE=${type}`),
  fc.tuple(fc.constantFrom(...PARAM_NAMES), fragment).map(([name, value]) => `;${name}="${value}"`),
  fc.constantFrom(';TYPE=pref', ';ENCODING=b', ';TYPE="cell,voice"', ';PREF=1', ';X-FLAG', ';=x', ';'),
);

const contentLine = fc
  .record({
    group: fc.option(fc.constantFrom(...GROUPS), { nil: undefined }),
    name: fc.oneof(fc.constantFrom(...PROPERTY_NAMES), fragment),
    params: fc.array(param, { maxLength: 3 }),
    value: fc.array(fragment, { maxLength: 3 }).map((parts) => parts.join('')),
  })
  .map(({ group, name, params, value }) => `${group ? `${group}.` : ''}${name}${params.join('')}:${value}`);

type Mutation =
  | { kind: 'insert'; at: number; line: string }
  | { kind: 'delete' | 'duplicate'; at: number }
  | { kind: 'poke'; at: number; offset: number; text: string }
  | { kind: 'cut'; at: number; offset: number; length: number }
  | { kind: 'fold'; at: number; offset: number }
  | { kind: 'version'; version: string };

const index = fc.nat({ max: 1000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: index, line: contentLine }) },
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), at: index }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('poke' as const), at: index, offset: index, text: fragment }) },
  fc.record({ kind: fc.constant('cut' as const), at: index, offset: index, length: fc.nat({ max: 20 }) }),
  fc.record({ kind: fc.constant('fold' as const), at: index, offset: index }),
  fc.record({ kind: fc.constant('version' as const), version: fc.constantFrom('3.0', '4.0', '2.1', '', '4.0;x') }),
);

function apply(lines: string[], m: Mutation): string[] {
  const out = [...lines];
  const at = 'at' in m ? m.at % Math.max(out.length, 1) : 0;
  const line = out[at] ?? '';
  const offset = 'offset' in m ? m.offset % (line.length + 1) : 0;
  switch (m.kind) {
    case 'insert':
      out.splice(at, 0, m.line);
      break;
    case 'delete':
      out.splice(at, 1);
      break;
    case 'duplicate':
      out.splice(at, 0, line);
      break;
    case 'poke':
      out[at] = line.slice(0, offset) + m.text + line.slice(offset);
      break;
    case 'cut':
      out[at] = line.slice(0, offset) + line.slice(offset + m.length);
      break;
    case 'fold':
      out[at] = `${line.slice(0, offset)}\r\n ${line.slice(offset)}`;
      break;
    case 'version':
      return out.map((l) => (/^VERSION:/i.test(l) ? `VERSION:${m.version}` : l));
  }
  return out;
}

/** A real-world-shaped vCard with a few hostile mutations: what a buggy or malicious client PUTs. */
export const hostileVCard: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...REAL_WORLD_VCARDS), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([seed, mutations]) => mutations.reduce(apply, seed.split('\r\n')).join('\r\n'));
