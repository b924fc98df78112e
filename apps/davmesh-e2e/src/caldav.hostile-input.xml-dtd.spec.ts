import { parseMultistatus } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const NS = 'xmlns:D="DAV:" xmlns:X="urn:example:x"';
const READ = `<D:propfind ${NS}><D:prop><X:note/></D:prop></D:propfind>`;
const setNote = (prolog: string, value: string) => `${prolog}<D:propertyupdate ${NS}><D:set><D:prop><X:note>${value}</X:note></D:prop></D:set></D:propertyupdate>`;

describe('DTDs and entity declarations in an XML body: 400, never expanded, nothing stored', () => {
  let send: ReturnType<typeof dav>;
  let calendar: string;
  const noteStatus = async () => (await parseMultistatus((await send('PROPFIND', calendar, { Depth: '0' }, READ)).text))[0].missing.get('{urn:example:x}note');
  const proppatch = (body: string | Buffer, contentType = 'application/xml') => send('PROPPATCH', calendar, { 'Content-Type': contentType }).send(body);

  const server = sharedNodePerSuite();

  beforeAll(async () => {
    send = dav(server().url, server().demo.login, server().demo.password);
    calendar = (await calendarHrefs(send))['Calendar'];
  }, 60_000);

  it.each([
    ['after a comment', '<!-- harmless --><!DOCTYPE x [<!ENTITY e "expanded">]>'],
    ['in lowercase', '<?xml version="1.0"?>\n<!doctype x [<!entity e "expanded">]>'],
    ['as an external entity', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'],
    ['as a bare entity declaration', '<!ENTITY e "expanded">'],
  ])('refuses a DTD %s', async (_, prolog) => {
    const response = await proppatch(setNote(prolog, '&e;'));
    expect(response.status).toBe(400);
    expect(await noteStatus()).toBe(404);
  });

  it('refuses a DTD written in UTF-16', async () => {
    const body = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(setNote('<!DOCTYPE x [<!ENTITY e "expanded">]>', '&e;'), 'utf16le').swap16()]);
    const response = await proppatch(body);
    expect(response.status).toBe(400);
    expect(response.text).toContain('DTD');
    expect(await noteStatus()).toBe(404);
  });

  it('takes the same words as data inside a CDATA section', async () => {
    const response = await proppatch(setNote('', '<![CDATA[<!DOCTYPE x>]]>'));
    expect(response.status).toBe(207);
    expect(await noteStatus()).toBeUndefined();
  });
});
