let findings = 0;
/** A vCard around the lines a finding needs, each with a UID of its own. */
const card = (version: '3.0' | '4.0', ...lines: string[]) =>
  ['BEGIN:VCARD', `VERSION:${version}`, `UID:finding-${++findings}`, 'FN:Fuzz Finding', ...lines, 'END:VCARD', ''].join('\r\n');

/** Inputs the vCard fuzzer found breaking a conversion (a 500 on GET or address-data), minimised; now served. */
export const SERVED_FUZZ_FINDINGS: Record<string, string> = {
  'a property named constructor': card('3.0', 'constructor:y'),
  'a grouped property named __proto__': card('4.0', 'item1.__proto__:z'),
  'a repeated list-valued TYPE (nested parameter lists)': card('3.0', 'EMAIL;type=INTERNET;type=WORK,HOME;type=pref:jm@example.org'),
  'a repeated quoted TYPE in 4.0': card('4.0', 'KEY;TYPE="cell,voice";TYPE="cell,voice":x'),
  'a structured GENDER, unknown to 3.0': card('4.0', 'GENDER:M;x,y;z'),
  'a second UID typed VALUE=boolean, holding a semicolon': card('3.0', 'item1.UID;VALUE=boolean:1;2'),
  'VALUE=boolean on a BDAY': card('4.0', 'BDAY;VALUE=boolean:1.5'),
  'repeated VALUE ending in float on an empty BDAY': card('3.0', 'BDAY;VALUE=date-time;VALUE=float;ENCODING=b:'),
  'VALUE=integer on a TZ': card('4.0', 'TZ;VALUE=language-tag;VALUE=integer:+14:00'),
  'a quoted VALUE type with an escaped line break': card('3.0', 'X-Q;VALUE="a\\nb":value'),
  'an escaped line break in a 4.0 URL': card('4.0', 'URL:https://example.org/a\\nb'),
};

/** Inputs the fuzzer found that cannot be served faithfully: refused at PUT with valid-address-data. */
export const REFUSED_FUZZ_FINDINGS: Record<string, string> = {
  'a parameter named __proto__': card('3.0', 'X-P;__proto__=lost:value'),
  'an END property with parameters (written back as the end of the card)': card('3.0', 'END;VALUE=unknown:data:image/png'),
  'a BEGIN property with parameters': card('3.0', 'BEGIN;VALUE="x"::^^^n^\''),
  'a nested component': card('3.0', 'BEGIN:X-INNER', 'X-A:1', 'END:X-INNER'),
  'a GROUP parameter of separators (written in front of the name)': card('3.0', 'X-G;GROUP=";;;;":x'),
  'a NUL character': card('4.0', 'NOTE:a\0b'),
  'a GROUP parameter of one space (written as a folded line, joining the FN)': card('3.0', 'GEO;PREF=1;GROUP= :52.52;13.405'),
};
