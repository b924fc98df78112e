import { parseMultistatus } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:X="urn:example:x"';

describe('XML nested deeper than davmesh.limits.xml.depth: 400 naming the limit, nothing changed', () => {
  let send: ReturnType<typeof dav>;
  let calendar: string;
  const readNote = async () =>
    (await parseMultistatus((await send('PROPFIND', calendar, { Depth: '0' }, `<D:propfind ${NS}><D:prop><X:note/></D:prop></D:propfind>`)).text))[0];

  const server = sharedNodePerSuite();

  beforeAll(async () => {
    send = dav(server().url, server().demo.login, server().demo.password);
    calendar = (await calendarHrefs(send))['Calendar'];
  }, 60_000);

  it('refuses a calendar-query whose comp-filters nest 1,000 deep', async () => {
    const filters = `${'<C:comp-filter name="VCALENDAR">'.repeat(1000)}${'</C:comp-filter>'.repeat(1000)}`;
    const response = await send('REPORT', calendar, { Depth: '1' }, `<C:calendar-query ${NS}><D:prop><D:getetag/></D:prop><C:filter>${filters}</C:filter></C:calendar-query>`);
    expect(response.status).toBe(400);
    expect(response.text).toContain('davmesh.limits.xml.depth');
  });

  it('refuses a PROPPATCH whose dead property nests 10,000 deep and stores nothing', async () => {
    const value = `${'<X:level>'.repeat(10_000)}deep${'</X:level>'.repeat(10_000)}`;
    const response = await send('PROPPATCH', calendar, {}, `<D:propertyupdate ${NS}><D:set><D:prop><X:note>${value}</X:note></D:prop></D:set></D:propertyupdate>`);
    expect(response.status).toBe(400);
    expect(response.text).toContain('davmesh.limits.xml.depth');
    expect((await readNote()).missing.get('{urn:example:x}note')).toBe(404);
  });

  it('still takes a dead property nested within the limit', async () => {
    const value = `${'<X:level>'.repeat(50)}deep${'</X:level>'.repeat(50)}`;
    const response = await send('PROPPATCH', calendar, {}, `<D:propertyupdate ${NS}><D:set><D:prop><X:note>${value}</X:note></D:prop></D:set></D:propertyupdate>`);
    expect(response.status).toBe(207);
    expect((await readNote()).found.has('{urn:example:x}note')).toBe(true);
  });
});
