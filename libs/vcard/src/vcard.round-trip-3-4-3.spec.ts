import { convertVCard } from './vcard-convert';
import { parseVCard, VCardError, type JCard } from './vcard';

const V3 = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'UID:round-trip-1',
  'FN:Jürgen Ä. Müller',
  'N:Müller;Jürgen;Ä.;Dr.;',
  'NICKNAME:Jü',
  'ORG:Example GmbH;R&D',
  'TITLE:Engineer',
  'EMAIL;TYPE=INTERNET,WORK,PREF:jm@example.org',
  'EMAIL;TYPE=HOME:j@home.example',
  'TEL;TYPE=CELL:+49 170 1234567',
  'ADR;TYPE=WORK:;;Hauptstr. 1;Berlin;;10115;Germany',
  'LABEL;TYPE=WORK:Hauptstr. 1\\n10115 Berlin',
  'BDAY:1980-04-12',
  'NOTE:Line one\\nLine two\\, with comma',
  'URL:https://example.org/',
  'CATEGORIES:friends,work',
  'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ==',
  'X-ADDRESSBOOKSERVER-KIND:individual',
  'X-CUSTOM-THING;X-PARAM=1:custom value',
  'END:VCARD',
  '',
].join('\r\n');

/** Properties as comparable strings, VERSION left out. */
function fields(jcard: JCard): string[] {
  return jcard[1]
    .filter((p) => p[0] !== 'version')
    .map((p) => JSON.stringify(p))
    .sort();
}

describe('vCard 3.0 → 4.0 → 3.0 loses no field', () => {
  it('converts the version-specific forms and gives every field back', () => {
    const v4 = convertVCard(V3, '4.0');
    const parsed4 = parseVCard(v4);
    expect(parsed4.summary.version).toBe('4.0');
    expect(v4).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
    expect(v4).toContain('PHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==');
    expect(v4).toMatch(/EMAIL;TYPE=INTERNET,WORK;PREF=1:jm@example.org/);
    expect(v4).toContain('KIND:individual');

    const back = convertVCard(v4, '3.0');
    expect(fields(parseVCard(back).jcard)).toEqual(fields(parseVCard(V3).jcard));
  });

  it('gives every field of a 4.0 card back after 3.0', () => {
    const v4 = convertVCard(V3, '4.0');
    expect(fields(parseVCard(convertVCard(convertVCard(v4, '3.0'), '4.0')).jcard)).toEqual(fields(parseVCard(v4).jcard));
  });

  it('returns the text unchanged when it already has the wanted version', () => {
    expect(convertVCard(V3, '3.0')).toBe(V3);
  });

  it('refuses cards without UID, without FN, with two cards or an unknown version', () => {
    expect(() => parseVCard(V3.replace('UID:round-trip-1\r\n', ''))).toThrow(VCardError);
    expect(() => parseVCard(V3.replace(/FN:[^\r]*\r\n/, ''))).toThrow(/FN/);
    expect(() => parseVCard(V3 + V3)).toThrow(/exactly one/);
    expect(() => parseVCard(V3.replace('VERSION:3.0', 'VERSION:2.1'))).toThrow(/VERSION/);
    expect(() => parseVCard('hello')).toThrow(VCardError);
  });
});
