import { eventIcs, parseMultistatus, taskIcs } from '@davmesh/testing';
import { dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const MKCALENDAR = `<?xml version="1.0" encoding="utf-8" ?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="http://apple.com/ns/ical/" xmlns:X="urn:example:x">
  <D:set>
    <D:prop>
      <D:displayname>Lisa's Tasks</D:displayname>
      <C:calendar-description xml:lang="en">Things to do</C:calendar-description>
      <C:supported-calendar-component-set><C:comp name="VTODO"/></C:supported-calendar-component-set>
      <C:calendar-timezone>BEGIN:VCALENDAR&#13;
END:VCALENDAR</C:calendar-timezone>
      <A:calendar-color>#FF2968FF</A:calendar-color>
      <A:calendar-order>3</A:calendar-order>
      <X:flavour><X:kind>spicy</X:kind></X:flavour>
    </D:prop>
  </D:set>
</C:mkcalendar>`;

const PROPS = `<propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="http://apple.com/ns/ical/" xmlns:X="urn:example:x">
  <prop><displayname/><resourcetype/><C:calendar-description/><C:supported-calendar-component-set/><C:calendar-timezone/>
  <A:calendar-color/><A:calendar-order/><X:flavour/><owner/></prop></propfind>`;

describe('MKCALENDAR (RFC 4791 5.3.1) with initial properties, at the name the client chose', () => {
  let send: ReturnType<typeof dav>;

  const server = sharedNodePerSuite();

  beforeAll(async () => {
    send = dav(server().url, server().demo.login, server().demo.password);
  }, 60_000);

  it('creates the calendar with every initial property, live and dead, and answers them in PROPFIND', async () => {
    const created = await send('MKCALENDAR', '/dav/caldav/5B1A3E3C-0C4F-4B0B-9E8D-lisa/', { 'Content-Type': 'application/xml' }, MKCALENDAR);
    expect(created.status).toBe(201);
    const [collection] = await parseMultistatus((await send('PROPFIND', '/dav/caldav/5B1A3E3C-0C4F-4B0B-9E8D-lisa/', { Depth: '0' }, PROPS)).text);
    expect(collection.href).toBe('/dav/caldav/5B1A3E3C-0C4F-4B0B-9E8D-lisa/');
    expect(collection.found.get('{DAV:}displayname')?.text).toBe("Lisa's Tasks");
    expect(collection.found.get('{DAV:}resourcetype')?.children.map((c) => c.name.local).sort()).toEqual(['calendar', 'collection']);
    expect(collection.found.get('{urn:ietf:params:xml:ns:caldav}calendar-description')?.text).toBe('Things to do');
    expect(collection.found.get('{urn:ietf:params:xml:ns:caldav}calendar-timezone')?.text).toContain('BEGIN:VCALENDAR');
    expect(collection.found.get('{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set')?.children.map((c) => c.attributes['name'])).toEqual(['VTODO']);
    expect(collection.found.get('{http://apple.com/ns/ical/}calendar-color')?.text).toBe('#FF2968FF');
    expect(collection.found.get('{http://apple.com/ns/ical/}calendar-order')?.text).toBe('3');
    const dead = collection.found.get('{urn:example:x}flavour');
    expect(dead?.children.map((c) => [c.name.ns, c.name.local, c.text])).toEqual([['urn:example:x', 'kind', 'spicy']]);
    expect(collection.found.get('{DAV:}owner')?.children[0].text).toMatch(/^\/dav\/principals\/users\/\d+\/$/);
  });

  it('lists the new calendar in the home and takes only its component (tasks), keeping the client resource names', async () => {
    const home = await send('PROPFIND', '/dav/caldav/', { Depth: '1' }, '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>');
    expect(home.text).toContain('<d:href>/dav/caldav/5B1A3E3C-0C4F-4B0B-9E8D-lisa/</d:href>');
    const base = '/dav/caldav/5B1A3E3C-0C4F-4B0B-9E8D-lisa/';
    expect((await send('PUT', `${base}Task%20One.ics`, { 'Content-Type': 'text/calendar' }, taskIcs('task-one', 'Task one'))).status).toBe(201);
    expect((await send('PUT', `${base}ev.ics`, { 'Content-Type': 'text/calendar' }, eventIcs('ev', 'Event'))).status).toBe(403);
    const listing = await send('PROPFIND', base, { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/><getcontenttype/></prop></propfind>');
    expect(listing.text).toContain(`<d:href>${base}Task%20One.ics</d:href>`);
    expect(listing.text).toContain('text/calendar; charset=utf-8; component=vtodo');
  });

  it('refuses MKCALENDAR where a calendar exists, and one with an unknown component, creating nothing', async () => {
    const again = await send('MKCALENDAR', '/dav/caldav/5B1A3E3C-0C4F-4B0B-9E8D-lisa/', {}, '');
    expect(again.status).toBe(405);
    const bad = await send(
      'MKCALENDAR',
      '/dav/caldav/bad-comp/',
      {},
      `<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>X</D:displayname>
       <C:supported-calendar-component-set><C:comp name="VPOLL"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`,
    );
    expect(bad.status).toBe(403);
    expect(bad.text).toContain('HTTP/1.1 424 Failed Dependency');
    expect((await send('PROPFIND', '/dav/caldav/bad-comp/', { Depth: '0' }, '')).status).toBe(404);
  });

  it('refuses a name of digits only, which could hide a calendar shared under its folder id', async () => {
    const numeric = await send('MKCALENDAR', '/dav/caldav/4711/', {}, '');
    expect(numeric.status).toBe(409);
    expect((await send('PROPFIND', '/dav/caldav/4711/', { Depth: '0' }, '')).status).toBe(404);
    expect((await send('MKCALENDAR', '/dav/caldav/4711-b/', {}, '')).status).toBe(201);
  });

  it('makes a calendar for events and tasks from an empty MKCALENDAR, and deletes a calendar with its objects', async () => {
    expect((await send('MKCALENDAR', '/dav/caldav/work/', {}, '')).status).toBe(201);
    const set = await send('PROPFIND', '/dav/caldav/work/', { Depth: '0' }, PROPS);
    const [work] = await parseMultistatus(set.text);
    expect(work.found.get('{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set')?.children.map((c) => c.attributes['name'])).toEqual(['VEVENT', 'VTODO']);
    expect(work.found.get('{DAV:}displayname')?.text).toBe('work');
    expect((await send('PUT', '/dav/caldav/work/a.ics', { 'Content-Type': 'text/calendar' }, eventIcs('work-a', 'A'))).status).toBe(201);
    expect((await send('DELETE', '/dav/caldav/work/')).status).toBe(204);
    expect((await send('PROPFIND', '/dav/caldav/work/', { Depth: '0' }, '')).status).toBe(404);
    expect((await send('GET', '/dav/caldav/work/a.ics')).status).toBe(404);
  });

  it('makes a calendar from an extended MKCOL whose resourcetype says calendar (RFC 5689, as vdirsyncer sends it), and no plain collection', async () => {
    const mkcol = (resourcetype: string, more = '') =>
      `<mkcol xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><set><prop><resourcetype><collection/>${resourcetype}</resourcetype>${more}</prop></set></mkcol>`;
    // vdirsyncer names the collection after the local folder, without a trailing slash.
    expect((await send('MKCOL', '/dav/caldav/from-laptop', { 'Content-Type': 'application/xml; charset=UTF-8' }, mkcol('<C:calendar/>'))).status).toBe(201);
    const [made] = await parseMultistatus((await send('PROPFIND', '/dav/caldav/from-laptop/', { Depth: '0' }, PROPS)).text);
    expect(made.found.get('{DAV:}resourcetype')?.children.map((c) => c.name.local).sort()).toEqual(['calendar', 'collection']);
    expect(made.found.get('{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set')?.children.map((c) => c.attributes['name'])).toEqual(['VEVENT', 'VTODO']);
    expect((await send('PUT', '/dav/caldav/from-laptop/a.ics', { 'Content-Type': 'text/calendar' }, eventIcs('laptop-a', 'A'))).status).toBe(201);
    expect((await send('MKCOL', '/dav/caldav/from-laptop/', {}, mkcol('<C:calendar/>'))).status).toBe(405);

    const named = mkcol('<C:calendar/>', '<displayname>Named</displayname><C:supported-calendar-component-set><C:comp name="VTODO"/></C:supported-calendar-component-set>');
    expect((await send('MKCOL', '/dav/caldav/named/', {}, named)).status).toBe(201);
    const [namedProps] = await parseMultistatus((await send('PROPFIND', '/dav/caldav/named/', { Depth: '0' }, PROPS)).text);
    expect(namedProps.found.get('{DAV:}displayname')?.text).toBe('Named');
    expect(namedProps.found.get('{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set')?.children.map((c) => c.attributes['name'])).toEqual(['VTODO']);

    const plain = await send('MKCOL', '/dav/caldav/plain/', {}, mkcol(''));
    expect(plain.status).toBe(403);
    expect(plain.text).toContain('valid-resourcetype');
    expect((await send('MKCOL', '/dav/caldav/bare/')).status).toBe(403);
    const refused = await send('MKCOL', '/dav/caldav/refused/', {}, mkcol('<C:calendar/>', '<C:calendar-data/>'));
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('mkcol-response');
    for (const path of ['/dav/caldav/plain/', '/dav/caldav/bare/', '/dav/caldav/refused/']) expect((await send('PROPFIND', path, { Depth: '0' }, '')).status).toBe(404);
  });
});
