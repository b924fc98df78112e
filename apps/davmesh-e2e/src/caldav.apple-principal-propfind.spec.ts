import { APPLE_CALENDAR_UA, parseMultistatus } from '@davmesh/testing';
import { dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const APPLE_PRINCIPAL_PROPFIND = `<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:" xmlns:B="urn:ietf:params:xml:ns:caldav" xmlns:C="http://calendarserver.org/ns/" xmlns:D="http://me.com/_namespace/">
  <A:prop>
    <B:calendar-home-set/><B:calendar-user-address-set/><A:current-user-principal/><A:displayname/>
    <C:dropbox-home-URL/><C:email-address-set/><C:notification-URL/><A:principal-collection-set/><A:principal-URL/>
    <A:resource-id/><B:schedule-inbox-URL/><B:schedule-outbox-URL/><A:supported-report-set/>
    <C:calendar-proxy-read-for/><C:calendar-proxy-write-for/><D:user-state/>
  </A:prop>
</A:propfind>`;

describe("Apple Calendar's principal PROPFIND", () => {
  const server = sharedNodePerSuite();

  it('answers what we support, the schedule inbox and outbox among it, and 404-propstats the proxy properties, without failing the request', async () => {
    const send = dav(server().url, server().demo.login, server().demo.password);
    const root = await send('PROPFIND', '/dav/', { Depth: '0', 'User-Agent': APPLE_CALENDAR_UA }, '<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>');
    const principal = /<d:href>(\/dav\/principals\/users\/\d+\/)<\/d:href>/.exec(root.text.split('current-user-principal')[1])![1];
    const response = await send('PROPFIND', principal, { Depth: '0', 'User-Agent': APPLE_CALENDAR_UA }, APPLE_PRINCIPAL_PROPFIND);
    expect(response.status).toBe(207);
    const [entry] = await parseMultistatus(response.text);
    expect(entry.found.get('{urn:ietf:params:xml:ns:caldav}calendar-home-set')?.children[0].text).toBe('/dav/caldav/');
    expect(entry.found.has('{urn:ietf:params:xml:ns:caldav}calendar-user-address-set')).toBe(true);
    expect(entry.found.get('{urn:ietf:params:xml:ns:caldav}schedule-inbox-URL')?.children[0].text).toBe('/dav/caldav/inbox/');
    expect(entry.found.get('{urn:ietf:params:xml:ns:caldav}schedule-outbox-URL')?.children[0].text).toBe('/dav/caldav/outbox/');
    for (const missing of [
      '{http://calendarserver.org/ns/}calendar-proxy-read-for',
      '{http://calendarserver.org/ns/}calendar-proxy-write-for',
      '{http://me.com/_namespace/}user-state',
    ]) {
      expect(entry.missing.get(missing)).toBe(404);
    }
  });

  it('advertises calendar-auto-schedule: the server sends invitations and replies itself, so Apple clients leave them to it', async () => {
    const send = dav(server().url, server().demo.login, server().demo.password);
    const options = await send('OPTIONS', '/dav/caldav/new-calendar/');
    expect(options.status).toBe(200);
    expect(options.headers['dav']).toContain('calendar-access');
    expect(options.headers['dav']).toContain('calendar-auto-schedule');
    expect(options.headers['allow']).toContain('MKCALENDAR');
  });

  it('answers expand-property (RFC 3253 3.8) on the principal, expanding principal hrefs and 404-ing the proxy sets', async () => {
    const send = dav(server().url, server().demo.login, server().demo.password);
    const root = await send('PROPFIND', '/dav/', { Depth: '0' }, '<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>');
    const principal = /<d:href>(\/dav\/principals\/users\/\d+\/)<\/d:href>/.exec(root.text.split('current-user-principal')[1])![1];
    const response = await send(
      'REPORT',
      principal,
      { Depth: '0' },
      `<A:expand-property xmlns:A="DAV:">
        <A:property name="principal-URL"><A:property name="displayname"/><A:property name="calendar-home-set" namespace="urn:ietf:params:xml:ns:caldav"/></A:property>
        <A:property name="calendar-proxy-write-for" namespace="http://calendarserver.org/ns/"><A:property name="displayname"/></A:property>
      </A:expand-property>`,
    );
    expect(response.status).toBe(207);
    const [entry] = await parseMultistatus(response.text);
    expect(entry.href).toBe(principal);
    const nested = entry.found.get('{DAV:}principal-URL')?.children[0];
    expect(nested?.name.local).toBe('response');
    expect(nested?.children[0].text).toBe(principal);
    const props = nested?.children[1].children[0].children ?? [];
    expect(props.map((p) => p.name.local)).toEqual(['displayname', 'calendar-home-set']);
    expect(props[1].children[0].text).toBe('/dav/caldav/');
    expect(entry.missing.get('{http://calendarserver.org/ns/}calendar-proxy-write-for')).toBe(404);
  });
});
