import { ConfigSet } from '@davmesh/contracts';
import { eventIcs, eventually, icalUtc, parseMultistatus, vcalendar, vevent } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const DAY = 86_400_000;

describe('the sync window (com.openexchange.caldav.interval.start/.end)', () => {
  const server = sharedNodePerSuite();

  it('leaves an event older than the window out of PROPFIND, calendar-query and sync-collection, keeps an overlapping series, and shows it when the window widens', async () => {
    const fritz = await server().addUser('fritz', 'fritz-pw');
    const send = dav(server().url, fritz.login, 'fritz-pw');
    const events = (await calendarHrefs(send))['Calendar'];
    const put = (name: string, body: string) => send('PUT', `${events}${name}`, { 'Content-Type': 'text/calendar' }, body);
    expect((await put('old.ics', eventIcs('old', 'Three months ago', new Date(Date.now() - 90 * DAY)))).status).toBe(201);
    expect((await put('soon.ics', eventIcs('soon', 'Next week', new Date(Date.now() + 7 * DAY)))).status).toBe(201);
    expect((await put('far.ics', eventIcs('far', 'In two years', new Date(Date.now() + 500 * DAY)))).status).toBe(201);
    const start = new Date(Date.now() - 200 * DAY);
    const weekly = vcalendar(...vevent('weekly', `DTSTART:${icalUtc(start)}`, 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY', 'SUMMARY:Weekly since long ago'));
    expect((await put('weekly.ics', weekly)).status).toBe(201);

    const names = async () => {
      const listing = await send('PROPFIND', events, { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>');
      return (await parseMultistatus(listing.text)).map((r) => r.href.slice(events.length)).filter((n) => n !== '').sort();
    };
    const queried = async () => {
      const report = await send(
        'REPORT',
        events,
        { Depth: '1' },
        '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter></C:calendar-query>',
      );
      return (await parseMultistatus(report.text)).map((r) => r.href.slice(events.length)).sort();
    };
    const synced = async () => {
      const report = await send('REPORT', events, {}, '<sync-collection xmlns="DAV:"><sync-token/><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>');
      return (await parseMultistatus(report.text)).map((r) => r.href.slice(events.length)).sort();
    };
    expect(await names()).toEqual(['soon.ics', 'weekly.ics']);
    expect(await queried()).toEqual(['soon.ics', 'weekly.ics']);
    expect(await synced()).toEqual(['soon.ics', 'weekly.ics']);
    expect((await send('GET', `${events}old.ics`)).status).toBe(200);

    await server().bus.call(ConfigSet, { key: 'com.openexchange.caldav.interval.start', value: 'six_months', userId: fritz.userId });
    await server().bus.call(ConfigSet, { key: 'com.openexchange.caldav.interval.end', value: 'two_years', userId: fritz.userId });
    await eventually(async () => expect(await names()).toEqual(['far.ics', 'old.ics', 'soon.ics', 'weekly.ics']));
  });

  it('opens the window on both sides with unlimited (a davmesh extension): an event of 1950 and one of 2090 are listed, queried and synced', async () => {
    const greta = await server().addUser('greta', 'greta-pw');
    const send = dav(server().url, greta.login, 'greta-pw');
    const events = (await calendarHrefs(send))['Calendar'];
    const put = (name: string, when: string) => send('PUT', `${events}${name}`, { 'Content-Type': 'text/calendar' }, eventIcs(name, name, new Date(when)));
    expect((await put('1950.ics', '1950-06-01T10:00:00Z')).status).toBe(201);
    expect((await put('2090.ics', '2090-06-01T10:00:00Z')).status).toBe(201);
    expect((await put('soon.ics', new Date(Date.now() + 7 * DAY).toISOString())).status).toBe(201);
    const listed = async () => {
      const listing = await send('PROPFIND', events, { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>');
      return (await parseMultistatus(listing.text)).map((r) => r.href.slice(events.length)).filter((n) => n !== '').sort();
    };
    const reported = async (body: string) => (await parseMultistatus((await send('REPORT', events, { Depth: '1' }, body)).text)).map((r) => r.href.slice(events.length)).sort();
    const query =
      '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter></C:calendar-query>';
    const sync = '<sync-collection xmlns="DAV:"><sync-token/><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>';
    expect(await listed()).toEqual(['soon.ics']);

    await server().bus.call(ConfigSet, { key: 'com.openexchange.caldav.interval.start', value: 'unlimited', userId: greta.userId });
    await server().bus.call(ConfigSet, { key: 'com.openexchange.caldav.interval.end', value: 'unlimited', userId: greta.userId });
    const all = ['1950.ics', '2090.ics', 'soon.ics'];
    await eventually(async () => expect(await listed()).toEqual(all));
    expect(await reported(query)).toEqual(all);
    expect(await reported(sync)).toEqual(all);
  });
});
