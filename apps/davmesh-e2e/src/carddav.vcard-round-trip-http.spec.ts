import { parseVCard, type JCard } from '@davmesh/vcard';
import { carddavNodePerSuite, personalBook, type DavAgent } from './carddav.fixture';

const card = (lines: string[]) => [...lines, ''].join('\r\n');

/** A contact as macOS Contacts or DAVx5 write it in 3.0, with every kind of field they use. */
const RICH_V3 = card([
  'BEGIN:VCARD',
  'VERSION:3.0',
  'PRODID:-//Apple Inc.//macOS 14.5//EN',
  'UID:rich-three',
  'FN:Jürgen Ä. Müller',
  'N:Müller;Jürgen;Ä.;Dr.;MSc',
  'NICKNAME:Jü,Jay',
  'ORG:Example GmbH;R&D;Devices',
  'TITLE:Senior Engineer',
  'ROLE:Lead',
  'TEL;TYPE=CELL,VOICE,PREF:+49 170 1234567',
  'TEL;TYPE=WORK,VOICE:+49 30 123456',
  'TEL;TYPE=HOME,FAX:+49 30 654321',
  'EMAIL;TYPE=INTERNET,WORK,PREF:jm@example.org',
  'EMAIL;TYPE=INTERNET,HOME:j@home.example',
  'ADR;TYPE=WORK,PREF:;Building 2;Hauptstr. 1;Berlin;BE;10115;Germany',
  'ADR;TYPE=HOME:;;Gartenweg 3\\, Hinterhaus;Potsdam;;14467;Germany',
  'LABEL;TYPE=WORK:Hauptstr. 1\\n10115 Berlin',
  'BDAY:1980-04-12',
  'NOTE:Line one\\nLine two\\, with comma\\; and semicolon\\\\ and backslash',
  'URL;TYPE=WORK:https://example.org/~jm?a=1&b=2',
  'CATEGORIES:friends,work,VIP',
  'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==',
  'GEO:52.52;13.405',
  'TZ:+01:00',
  'IMPP;X-SERVICE-TYPE=Jabber;TYPE=HOME:xmpp:jm@example.org',
  'item1.X-ABLABEL:_$!<Anniversary>!$_',
  'item1.X-ABDATE;TYPE=PREF:2005-06-01',
  'X-ABUID:5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE:ABPerson',
  'X-ADDRESSBOOKSERVER-KIND:individual',
  'X-CUSTOM-THING;X-PARAM=1,2:custom value\\, kept',
  'X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/jm',
  'REV:2024-06-01T12:00:00Z',
  'END:VCARD',
]);

/** An Apple group: a 3.0 card whose members are named by X-ADDRESSBOOKSERVER-MEMBER. */
const APPLE_GROUP = card([
  'BEGIN:VCARD',
  'VERSION:3.0',
  'UID:group-three',
  'FN:Team Berlin',
  'N:Team Berlin;;;;',
  'X-ADDRESSBOOKSERVER-KIND:group',
  'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:rich-three',
  'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:0b8a4d1c-2f7e-4b4e-9d55-1a2b3c4d5e6f',
  'END:VCARD',
]);

/** A 4.0 card with what only 4.0 has. */
const RICH_V4 = card([
  'BEGIN:VCARD',
  'VERSION:4.0',
  'UID:urn:uuid:4f0c5a2e-1111-4222-8333-944455556666',
  'KIND:individual',
  'FN:Ana Ñúñez',
  'N:Ñúñez;Ana;;;',
  'GENDER:F',
  'LANG;PREF=1:es',
  'LANG;PREF=2:en',
  'ORG:Ejemplo S.A.',
  'TITLE:CTO',
  'TEL;VALUE=uri;TYPE="cell,voice";PREF=1:tel:+34-600-123-456',
  'TEL;VALUE=uri;TYPE=work:tel:+34-91-123-4567;ext=12',
  'EMAIL;TYPE=work;PREF=1:ana@example.es',
  'EMAIL;TYPE=home:ana@home.example',
  'ADR;TYPE=work;LABEL="Calle Mayor 1\\n28013 Madrid":;;Calle Mayor 1;Madrid;;28013;Spain',
  'BDAY:--0412',
  'ANNIVERSARY:20090808T1430-0500',
  'NOTE:Comma\\, semicolon\\; newline\\nend',
  'URL:https://example.es/ana',
  'CATEGORIES:colleagues,spain',
  'PHOTO:data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'RELATED;TYPE=friend:urn:uuid:rich-three',
  'IMPP;PREF=1:xmpp:ana@example.es',
  'X-CUSTOM-FOUR;X-P=a:value four',
  'END:VCARD',
]);

const GROUP_V4 = card([
  'BEGIN:VCARD',
  'VERSION:4.0',
  'UID:group-four',
  'KIND:group',
  'FN:Equipo',
  'MEMBER:urn:uuid:4f0c5a2e-1111-4222-8333-944455556666',
  'MEMBER:mailto:someone@example.es',
  'END:VCARD',
]);

/** Every property but VERSION as a comparable value: name, parameters (sorted, lower-case names), type, values. */
function fields(text: string): string[] {
  const jcard: JCard = parseVCard(text).jcard;
  return jcard[1]
    .filter((p) => p[0] !== 'version')
    .map(([name, params, type, ...values]) => JSON.stringify([name, Object.entries(params).sort(), type, values]))
    .sort();
}

describe('vCard 3.0 ↔ 4.0 over HTTP: GET in the other version and PUT back loses no field', () => {
  const server = carddavNodePerSuite();
  let agent: DavAgent;
  let book: string;

  beforeAll(async () => {
    agent = await server().addUser('converter');
    book = await personalBook(agent);
  }, 60_000);

  /** PUT the card, GET it as `other`, PUT that text as a new resource, GET it in the original version. */
  const roundTrip = async (name: string, text: string, original: '3.0' | '4.0', other: '3.0' | '4.0') => {
    expect((await agent.put(`${book}${name}.vcf`, text)).status).toBe(201);
    const converted = await agent.request('GET', `${book}${name}.vcf`).set('Accept', `text/vcard; version=${other}`);
    expect(converted.status).toBe(200);
    expect(parseVCard(converted.text).summary.version).toBe(other);
    // The converted card is stored as such (a client that only speaks `other` writes it back) …
    const copy = converted.text.replace(/^UID:.*$/m, `UID:${name}-copy`);
    expect((await agent.put(`${book}${name}-copy.vcf`, copy)).status).toBe(201);
    // … and read in the original version it holds every field of the original.
    const back = await agent.request('GET', `${book}${name}-copy.vcf`).set('Accept', `text/vcard; version=${original}`);
    expect(back.status).toBe(200);
    const uidOf = (t: string) => /^UID:(.*)$/m.exec(t)![1].trim();
    expect(fields(back.text.replace(`UID:${uidOf(back.text)}`, `UID:${uidOf(text)}`))).toEqual(fields(text));
    return converted.text;
  };

  it('a rich 3.0 contact becomes 4.0 (PREF=1, data: URI photo, KIND) and comes back whole', async () => {
    const v4 = await roundTrip('rich3', RICH_V3, '3.0', '4.0');
    expect(v4).toMatch(/\r\nTEL;TYPE=CELL,VOICE;PREF=1:\+49 170 1234567\r\n/);
    expect(v4).toMatch(/\r\nEMAIL;TYPE=INTERNET,WORK;PREF=1:jm@example\.org\r\n/);
    expect(v4).toContain('PHOTO:data:image/jpeg;base64,/9j/4AAQ');
    expect(v4).toContain('KIND:individual');
    expect(v4).toContain('NOTE:Line one\\nLine two\\, with comma; and semicolon\\\\ and backslash');
    expect(v4).toContain('BDAY:19800412');
  });

  it('an Apple group (X-ADDRESSBOOKSERVER-KIND/MEMBER) becomes KIND:group with MEMBERs and comes back whole', async () => {
    const v4 = await roundTrip('group3', APPLE_GROUP, '3.0', '4.0');
    expect(v4).toContain('KIND:group');
    expect(v4).toContain('MEMBER:urn:uuid:rich-three');
    expect(v4).toContain('MEMBER:urn:uuid:0b8a4d1c-2f7e-4b4e-9d55-1a2b3c4d5e6f');
  });

  it('a rich 4.0 contact becomes 3.0 (TYPE=PREF, inline photo) and comes back whole', async () => {
    const v3 = await roundTrip('rich4', RICH_V4, '4.0', '3.0');
    expect(v3).toMatch(/PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo/);
    expect(v3).toMatch(/EMAIL;TYPE=work,PREF:ana@example\.es/i);
    expect(v3).toContain('X-ADDRESSBOOKSERVER-KIND:individual');
  });

  it('a 4.0 group becomes an Apple group in 3.0 and comes back whole', async () => {
    const v3 = await roundTrip('group4', GROUP_V4, '4.0', '3.0');
    expect(v3).toContain('X-ADDRESSBOOKSERVER-KIND:group');
    expect(v3).toContain('X-ADDRESSBOOKSERVER-MEMBER:mailto:someone@example.es');
  });
});
