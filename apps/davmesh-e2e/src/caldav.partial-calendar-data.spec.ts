import { EUROPE_BERLIN, icalUtc, parseMultistatus, vcalendar, vevent } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const DAY = 86_400_000;
const C = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"';
const CALENDAR_DATA = '{urn:ietf:params:xml:ns:caldav}calendar-data';
const GETETAG = '{DAV:}getetag';

/** The selection of RFC 4791 7.8.1: VERSION, some VEVENT properties, the whole VTIMEZONE. */
const RFC_7_8_1 = `<C:calendar-data><C:comp name="VCALENDAR"><C:prop name="VERSION"/>
  <C:comp name="VEVENT"><C:prop name="SUMMARY"/><C:prop name="UID"/><C:prop name="DTSTART"/><C:prop name="DTEND"/>
  <C:prop name="DURATION"/><C:prop name="RRULE"/><C:prop name="RDATE"/><C:prop name="EXRULE"/><C:prop name="EXDATE"/>
  <C:prop name="RECURRENCE-ID"/></C:comp><C:comp name="VTIMEZONE"/></C:comp></C:calendar-data>`;

describe('partial calendar-data (RFC 4791 9.6.1-9.6.4) in calendar-query and calendar-multiget', () => {
  let send: ReturnType<typeof dav>;
  let events: string;
  let storedEtag: string;
  // A daily 10:00 Berlin meeting from tomorrow, with an alarm and an attendee; inside the sync window.
  const day1 = new Date(Math.floor(Date.now() / DAY) * DAY + DAY);
  const local = (days: number, time: string) => `${icalUtc(new Date(day1.getTime() + days * DAY)).slice(0, 8)}T${time}`;
  const stored = vcalendar(
    ...EUROPE_BERLIN,
    ...vevent(
      'planning',
      `DTSTART;TZID=Europe/Berlin:${local(0, '100000')}`,
      `DTEND;TZID=Europe/Berlin:${local(0, '110000')}`,
      'RRULE:FREQ=DAILY;COUNT=5',
      'SUMMARY:Planning',
      'ATTENDEE;CN=Lisa;PARTSTAT=NEEDS-ACTION:mailto:lisa@example.com',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'DESCRIPTION:Planning soon',
      'TRIGGER:-PT15M',
      'END:VALARM',
    ),
  );
  const dataOf = async (response: { text: string }) => {
    const [entry] = await parseMultistatus(response.text);
    return { data: (entry.found.get(CALENDAR_DATA)?.text ?? '').replace(/\r\n/g, '\n'), etag: entry.found.get(GETETAG)?.text };
  };
  const query = (calendarData: string) =>
    send(
      'REPORT',
      events,
      { Depth: '1', 'Content-Type': 'application/xml' },
      `<C:calendar-query ${C}><D:prop><D:getetag/>${calendarData}</D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
        <C:time-range start="${icalUtc(day1)}" end="${icalUtc(new Date(day1.getTime() + 2 * DAY))}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`,
    );
  const multiget = (calendarData: string) =>
    send(
      'REPORT',
      events,
      { Depth: '1', 'Content-Type': 'application/xml' },
      `<C:calendar-multiget ${C}><D:prop><D:getetag/>${calendarData}</D:prop><D:href>${events}planning.ics</D:href></C:calendar-multiget>`,
    );

  const server = sharedNodePerSuite();

  beforeAll(async () => {
    send = dav(server().url, server().demo.login, server().demo.password);
    events = (await calendarHrefs(send))['Calendar'];
    const put = await send('PUT', `${events}planning.ics`, { 'Content-Type': 'text/calendar' }, stored);
    expect(put.status).toBe(201);
    storedEtag = put.headers['etag'];
  }, 60_000);

  it('answers calendar-query with the parts RFC 4791 7.8.1 asks for, under the stored ETag', async () => {
    const response = await query(RFC_7_8_1);
    expect(response.status).toBe(207);
    const { data, etag } = await dataOf(response);
    expect(etag).toBe(storedEtag);
    expect(data).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        ...EUROPE_BERLIN,
        'BEGIN:VEVENT',
        'UID:planning',
        `DTSTART;TZID=Europe/Berlin:${local(0, '100000')}`,
        `DTEND;TZID=Europe/Berlin:${local(0, '110000')}`,
        'RRULE:FREQ=DAILY;COUNT=5',
        'SUMMARY:Planning',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\n'),
    );
  });

  it('answers calendar-multiget with a novalue attendee and only the trigger of the alarm', async () => {
    const response = await multiget(`<C:calendar-data><C:comp name="VCALENDAR"><C:comp name="VEVENT">
      <C:prop name="UID"/><C:prop name="ATTENDEE" novalue="yes"/><C:comp name="VALARM"><C:prop name="TRIGGER"/></C:comp>
      </C:comp></C:comp></C:calendar-data>`);
    expect(response.status).toBe(207);
    const { data, etag } = await dataOf(response);
    expect(etag).toBe(storedEtag);
    expect(data).toBe(
      [
        'BEGIN:VCALENDAR',
        'BEGIN:VEVENT',
        'UID:planning',
        'ATTENDEE;CN=Lisa;PARTSTAT=NEEDS-ACTION:',
        'BEGIN:VALARM',
        'TRIGGER:-PT15M',
        'END:VALARM',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\n'),
    );
  });

  it('selects after expanding: the instances of the range, with only the properties asked for', async () => {
    const expand = `<C:expand start="${icalUtc(day1)}" end="${icalUtc(new Date(day1.getTime() + 2 * DAY))}"/>`;
    const response = await multiget(
      `<C:calendar-data><C:comp name="VCALENDAR"><C:allprop/><C:comp name="VEVENT"><C:prop name="RECURRENCE-ID"/></C:comp></C:comp>${expand}</C:calendar-data>`,
    );
    const { data } = await dataOf(response);
    expect(data.match(/^RECURRENCE-ID:\d{8}T\d{6}Z$/gm)).toHaveLength(2);
    expect(data).toContain('PRODID:');
    expect(data).not.toMatch(/DTSTART|VTIMEZONE|VALARM|SUMMARY/);
  });

  it('answers sync-collection with the same selection', async () => {
    const response = await send(
      'REPORT',
      events,
      { 'Content-Type': 'application/xml' },
      `<D:sync-collection ${C}><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/>
        <C:calendar-data><C:comp name="VCALENDAR"><C:comp name="VEVENT"><C:prop name="UID"/></C:comp></C:comp></C:calendar-data></D:prop></D:sync-collection>`,
    );
    expect(response.status).toBe(207);
    const { data, etag } = await dataOf(response);
    expect(etag).toBe(storedEtag);
    expect(data).toBe(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:planning', 'END:VEVENT', 'END:VCALENDAR', ''].join('\n'));
  });

  it('still serves the whole object to GET and to calendar-data without a selection', async () => {
    const get = await send('GET', `${events}planning.ics`);
    expect(get.text).toBe(stored);
    expect(get.headers['etag']).toBe(storedEtag);
    expect((await dataOf(await multiget('<C:calendar-data/>'))).data).toBe(stored.replace(/\r\n/g, '\n'));
  });

  it('refuses another media type or version with CALDAV:supported-calendar-data, in both reports', async () => {
    for (const response of [
      await query('<C:calendar-data content-type="application/calendar+json"/>'),
      await multiget('<C:calendar-data content-type="text/calendar" version="1.0"/>'),
    ]) {
      expect(response.status).toBe(403);
      expect(response.text).toMatch(/<cal:supported-calendar-data\/>/);
    }
  });

  it('refuses a selection whose top is not VCALENDAR with 400', async () => {
    expect((await multiget('<C:calendar-data><C:comp name="VEVENT"><C:allprop/></C:comp></C:calendar-data>')).status).toBe(400);
  });
});
