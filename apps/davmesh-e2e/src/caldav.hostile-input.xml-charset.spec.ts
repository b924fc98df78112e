import { parseMultistatus } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const NS = 'xmlns:D="DAV:" xmlns:X="urn:example:x"';
const rename = (name: string, declaration = '') => `${declaration}<D:propertyupdate ${NS}><D:set><D:prop><D:displayname>${name}</D:displayname></D:prop></D:set></D:propertyupdate>`;

describe('the character encoding of an XML body: decoded as declared, refused when invalid or unknown', () => {
  let send: ReturnType<typeof dav>;
  let calendar: string;
  const displayname = async () =>
    (await parseMultistatus((await send('PROPFIND', calendar, { Depth: '0' }, `<D:propfind ${NS}><D:prop><D:displayname/></D:prop></D:propfind>`)).text))[0].found.get(
      '{DAV:}displayname',
    )?.text;
  const proppatch = (body: Buffer, contentType: string) => send('PROPPATCH', calendar, { 'Content-Type': contentType }).send(body);

  const server = sharedNodePerSuite();

  beforeAll(async () => {
    send = dav(server().url, server().demo.login, server().demo.password);
    calendar = (await calendarHrefs(send))['Calendar'];
  }, 60_000);

  it('refuses invalid UTF-8 with 400 and stores nothing in its place', async () => {
    const before = await displayname();
    const body = Buffer.concat([Buffer.from(rename('Caf').split('</D:displayname>')[0]), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('</D:displayname></D:prop></D:set></D:propertyupdate>')]);
    const response = await proppatch(body, 'application/xml; charset=utf-8');
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/not valid utf-8/i);
    expect(await displayname()).toBe(before);
  });

  it('decodes ISO-8859-1 named by the Content-Type charset', async () => {
    const response = await proppatch(Buffer.from(rename('Café Latin'), 'latin1'), 'application/xml; charset="ISO-8859-1"');
    expect(response.status).toBe(207);
    expect(await displayname()).toBe('Café Latin');
  });

  it('decodes ISO-8859-1 named by the XML declaration when the Content-Type names none', async () => {
    const response = await proppatch(Buffer.from(rename('Café Déclaré', '<?xml version="1.0" encoding="ISO-8859-1"?>\n'), 'latin1'), 'text/xml');
    expect(response.status).toBe(207);
    expect(await displayname()).toBe('Café Déclaré');
  });

  it('decodes UTF-16 told by its byte order mark', async () => {
    const response = await proppatch(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rename('Café UTF-16'), 'utf16le')]), 'application/xml');
    expect(response.status).toBe(207);
    expect(await displayname()).toBe('Café UTF-16');
  });

  it('answers 415 for a charset it does not know, and changes nothing', async () => {
    const before = await displayname();
    const response = await proppatch(Buffer.from(rename('Unknown')), 'application/xml; charset=x-no-such-charset');
    expect(response.status).toBe(415);
    const declared = await proppatch(Buffer.from(rename('Unknown', '<?xml version="1.0" encoding="x-klingon"?>')), 'application/xml');
    expect(declared.status).toBe(415);
    expect(await displayname()).toBe(before);
  });
});
