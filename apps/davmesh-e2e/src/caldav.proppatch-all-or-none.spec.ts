import { parseMultistatus } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="http://apple.com/ns/ical/" xmlns:CS="http://calendarserver.org/ns/" xmlns:X="urn:example:x"';
const READ = `<D:propfind ${NS}><D:prop><D:displayname/><C:calendar-description/><A:calendar-color/><A:calendar-order/><C:calendar-timezone/><X:note/></D:prop></D:propfind>`;

describe('PROPPATCH of a calendar: live and dead properties, all or none (RFC 4918 9.2)', () => {
  let send: ReturnType<typeof dav>;
  let calendar: string;
  const read = async () => (await parseMultistatus((await send('PROPFIND', calendar, { Depth: '0' }, READ)).text))[0];

  const server = sharedNodePerSuite();

  beforeAll(async () => {
    send = dav(server().url, server().demo.login, server().demo.password);
    calendar = (await calendarHrefs(send))['Calendar'];
  }, 60_000);

  it('sets displayname, description, Apple color and order, the timezone and a dead property in one request', async () => {
    const response = await send(
      'PROPPATCH',
      calendar,
      {},
      `<D:propertyupdate ${NS}><D:set><D:prop><D:displayname>Work</D:displayname><C:calendar-description>Office</C:calendar-description>
       <A:calendar-color>#0000FFFF</A:calendar-color><A:calendar-order>2</A:calendar-order><C:calendar-timezone>BEGIN:VCALENDAR</C:calendar-timezone>
       <X:note>kept <X:b>as given</X:b></X:note></D:prop></D:set></D:propertyupdate>`,
    );
    expect(response.status).toBe(207);
    const [result] = await parseMultistatus(response.text);
    expect([...result.found.keys()]).toHaveLength(6);
    const after = await read();
    expect(after.found.get('{DAV:}displayname')?.text).toBe('Work');
    expect(after.found.get('{urn:ietf:params:xml:ns:caldav}calendar-description')?.text).toBe('Office');
    expect(after.found.get('{http://apple.com/ns/ical/}calendar-color')?.text).toBe('#0000FFFF');
    expect(after.found.get('{http://apple.com/ns/ical/}calendar-order')?.text).toBe('2');
    expect(after.found.get('{urn:ietf:params:xml:ns:caldav}calendar-timezone')?.text).toBe('BEGIN:VCALENDAR');
    expect(after.found.get('{urn:example:x}note')?.children.map((c) => c.text)).toEqual(['as given']);
  });

  it('changes nothing when one property is refused: 403 for a protected one, 409 for a bad value, 424 for the rest', async () => {
    const response = await send(
      'PROPPATCH',
      calendar,
      {},
      `<D:propertyupdate ${NS}><D:set><D:prop><D:displayname>Renamed</D:displayname><CS:getctag>forged</CS:getctag>
       <A:calendar-order>not a number</A:calendar-order></D:prop></D:set><D:remove><D:prop><X:note/></D:prop></D:remove></D:propertyupdate>`,
    );
    expect(response.status).toBe(207);
    const [result] = await parseMultistatus(response.text);
    expect(result.missing.get('{DAV:}displayname')).toBe(424);
    expect(result.missing.get('{urn:example:x}note')).toBe(424);
    expect(result.missing.get('{http://calendarserver.org/ns/}getctag')).toBe(403);
    expect(result.missing.get('{http://apple.com/ns/ical/}calendar-order')).toBe(409);
    const after = await read();
    expect(after.found.get('{DAV:}displayname')?.text).toBe('Work');
    expect(after.found.has('{urn:example:x}note')).toBe(true);
  });

  it('removes a dead property and clears the description', async () => {
    const response = await send(
      'PROPPATCH',
      calendar,
      {},
      `<D:propertyupdate ${NS}><D:remove><D:prop><X:note/><C:calendar-description/></D:prop></D:remove></D:propertyupdate>`,
    );
    expect(response.status).toBe(207);
    const after = await read();
    expect(after.found.has('{urn:example:x}note')).toBe(false);
    expect(after.missing.get('{urn:ietf:params:xml:ns:caldav}calendar-description')).toBe(404);
    expect(after.found.get('{DAV:}displayname')?.text).toBe('Work');
  });
});
