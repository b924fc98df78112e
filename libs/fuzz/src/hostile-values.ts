import fc from 'fast-check';

/** Characters that break storage, parsers or logs: NUL, C0/C1 controls, separators, a lone surrogate, BOM. */
export const controlChar = fc.constantFrom('\0', '\x01', '\x07', '\x08', '\x0b', '\x0c', '\x1b', '\x7f', '\u0085', '\u2028', '\ufeff', '\ud800', '\uffff');

/** Numbers at and beyond the edges of int32, float and "count" fields. */
export const extremeNumber = fc.constantFrom('0', '-1', '-0', '2147483647', '2147483648', '-2147483649', '999999999', '9007199254740993', '1e308', 'NaN', 'Infinity', '0x10', '00000000000000000001', '1.5', '');

/** Dates and date-times that are not, or are barely, valid iCalendar/vCard values. */
export const badDate = fc.oneof(
  fc.constantFrom(
    'not-a-date',
    '2026-99-99T99:99:99',
    '20261399T250000Z',
    '20260230T100000Z',
    '00000000T000000',
    '99991231T235959Z',
    '00010101T000000Z',
    '2026',
    '20260101T',
    '20260101T000000ZZ',
    '20260101T000000+0100',
    '-20260101',
    '1 hour',
    'P1H',
    'PT-1H',
    'P99999999W',
    '',
  ),
  fc.stringMatching(/^[0-9T:Z+-]{0,20}$/),
);

/** TZIDs as clients send them, and as attackers would. */
export const weirdTzid = fc.constantFrom(
  'Europe/Berlin',
  'Europe/Paris',
  'America/New_York',
  '/mozilla.org/20050126_1/Europe/Berlin',
  'W. Europe Standard Time',
  '(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna',
  'Etc/GMT+14',
  'Etc/GMT-14',
  'UTC',
  'Z',
  '',
  '"Europe/Berlin"',
  '../../../etc/passwd',
  'Europe/Paris\0',
  '.*+?([{\\',
  '__proto__',
  'constructor',
  'Área/Ñowhere',
  'x'.repeat(5_000),
  'x'.repeat(100_000),
);

/** Names that are special in a JavaScript object. */
export const prototypeName = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__');

/** A long value: a few kilobytes up to past the 1 MB resource limit. */
export const longValue = fc.constantFrom(1_000, 10_000, 100_000, 1_100_000).chain((length) => fc.constantFrom('x', 'é', '\\n', ';', ',').map((unit) => unit.repeat(Math.ceil(length / unit.length))));

/** Text with hostile parts: control characters, escapes, quotes, non-BMP characters. */
export const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.string({ maxLength: 12 }), controlChar, fc.string({ maxLength: 12 })).map(([a, c, b]) => `${a}${c}${b}`) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('\\', '\\n\\,\\;', '"', "'", ';;;;', ',,,', ':', '=', '<script>', ']]>', '&amp;', '%00', '😀'.repeat(10)) },
  { weight: 1, arbitrary: extremeNumber },
  { weight: 1, arbitrary: longValue },
);
