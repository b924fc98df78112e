import { parseMultistatus } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:X="urn:example:x"';
const READ = `<D:propfind ${NS}><D:prop><D:displayname/><X:note/></D:prop></D:propfind>`;

describe('U+0000 in an XML body, raw or as a character reference: 400, nothing stored', () => {
  let send: ReturnType<typeof dav>;
  let calendar: string;
  const read = async () => (await parseMultistatus((await send('PROPFIND', calendar, { Depth: '0' }, READ)).text))[0];

  const server = sharedNodePerSuite();

  beforeAll(async () => {
    send = dav(server().url, server().demo.login, server().demo.password);
    calendar = (await calendarHrefs(send))['Calendar'];
  }, 60_000);

  it.each([
    ['a raw NUL in a dead property', '<X:note>a\u0000b</X:note>'],
    ['&#0; in a dead property', '<X:note>a&#0;b</X:note>'],
    ['&#x0; in the displayname', '<D:displayname>Work&#x0;</D:displayname>'],
    ['a raw NUL in an attribute of a dead property', '<X:note kind="a\u0000b">x</X:note>'],
  ])('refuses a PROPPATCH with %s', async (_, prop) => {
    const response = await send('PROPPATCH', calendar, {}, `<D:propertyupdate ${NS}><D:set><D:prop>${prop}</D:prop></D:set></D:propertyupdate>`);
    expect(response.status).toBe(400);
    const after = await read();
    expect(after.missing.get('{urn:example:x}note')).toBe(404);
    expect(after.found.get('{DAV:}displayname')?.text).toBe('Calendar');
  });

  it('refuses a MKCALENDAR whose displayname holds a NUL, and makes no calendar', async () => {
    const body = `<C:mkcalendar ${NS}><D:set><D:prop><D:displayname>New\u0000Calendar</D:displayname></D:prop></D:set></C:mkcalendar>`;
    const response = await send('MKCALENDAR', '/dav/caldav/nul-calendar/', {}, body);
    expect(response.status).toBe(400);
    expect(Object.keys(await calendarHrefs(send))).not.toContain('New\u0000Calendar');
    expect((await send('PROPFIND', '/dav/caldav/nul-calendar/', { Depth: '0' }, READ)).status).toBe(404);
  });
});
