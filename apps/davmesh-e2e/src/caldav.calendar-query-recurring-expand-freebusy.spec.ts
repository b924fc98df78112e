import { caldavClient, DAVX5_UA, eventIcs, icalUtc, parseMultistatus, taskIcs, vcalendar, vevent } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const C = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"';

describe('calendar-query, expand and free-busy-query end to end, over a recurring series with EXDATE and an override', () => {
  let send: ReturnType<typeof dav>;
  let events: string;
  // A daily 10:00 UTC stand-up from a week ago: the third day excluded, the fourth moved to 15:00.
  const day0 = new Date(Math.floor(Date.now() / DAY) * DAY - 7 * DAY);
  const at = (days: number, hours: number) => new Date(day0.getTime() + days * DAY + hours * HOUR);
  const query = (filter: string, props = '<D:getetag/>') =>
    send('REPORT', events, { Depth: '1' }, `<C:calendar-query ${C}><D:prop>${props}</D:prop><C:filter>${filter}</C:filter></C:calendar-query>`);
  const hrefsOf = async (response: { text: string }) => (await parseMultistatus(response.text)).map((r) => r.href.split('/').pop()).sort();
  const inRange = (start: Date, end: Date) =>
    `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${icalUtc(start)}" end="${icalUtc(end)}"/></C:comp-filter></C:comp-filter>`;

  const server = sharedNodePerSuite();

  beforeAll(async () => {
    send = dav(server().url, server().demo.login, server().demo.password);
    const hrefs = await calendarHrefs(send);
    events = hrefs['Calendar'];
    const series = vcalendar(
      ...vevent('standup', `DTSTART:${icalUtc(at(0, 10))}`, `DTEND:${icalUtc(at(0, 10.5))}`, 'RRULE:FREQ=DAILY;COUNT=30', `EXDATE:${icalUtc(at(2, 10))}`, 'SUMMARY:Daily Standup'),
      ...vevent('standup', `RECURRENCE-ID:${icalUtc(at(3, 10))}`, `DTSTART:${icalUtc(at(3, 15))}`, `DTEND:${icalUtc(at(3, 16))}`, 'SUMMARY:Daily Standup (late)'),
    );
    const put = (path: string, body: string) => send('PUT', path, { 'Content-Type': 'text/calendar' }, body);
    expect((await put(`${events}standup.ics`, series)).status).toBe(201);
    expect((await put(`${events}review.ics`, eventIcs('review', 'Quarterly review', at(60, 9)))).status).toBe(201);
    expect((await put(`${hrefs['Tasks']}todo.ics`, taskIcs('todo', 'Prepare review'))).status).toBe(201);
  }, 60_000);

  it('finds the series by an ordinary instance, not on its excluded day, and by its moved override', async () => {
    expect(await hrefsOf(await query(inRange(at(1, 9), at(1, 11))))).toEqual(['standup.ics']);
    expect(await hrefsOf(await query(inRange(at(2, 0), at(2, 24))))).toEqual([]);
    expect(await hrefsOf(await query(inRange(at(3, 9), at(3, 11))))).toEqual([]);
    expect(await hrefsOf(await query(inRange(at(3, 14), at(3, 16))))).toEqual(['standup.ics']);
    expect(await hrefsOf(await query(inRange(at(59, 0), at(61, 0))))).toEqual(['review.ics']);
  });

  it('matches text case-insensitively (i;ascii-casemap) and negated, and is-not-defined', async () => {
    const text = (match: string) =>
      `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY">${match}</C:prop-filter></C:comp-filter></C:comp-filter>`;
    expect(await hrefsOf(await query(text('<C:text-match>STANDUP</C:text-match>')))).toEqual(['standup.ics']);
    expect(await hrefsOf(await query(text('<C:text-match negate-condition="yes">standup</C:text-match>')))).toEqual(['review.ics']);
    const noRrule = `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="RRULE"><C:is-not-defined/></C:prop-filter></C:comp-filter></C:comp-filter>`;
    // RFC 4791 9.7.1: any VEVENT of the object may match, and the override has no RRULE.
    expect(await hrefsOf(await query(noRrule))).toEqual(['review.ics', 'standup.ics']);
    const noExdate = noRrule.replace('RRULE', 'EXDATE').replace('<C:is-not-defined/>', '<C:text-match>20</C:text-match>');
    expect(await hrefsOf(await query(noExdate))).toEqual(['standup.ics']);
  });

  it('expands the series into its instances in the range, in UTC, the override included', async () => {
    const response = await query(
      inRange(at(3, 0), at(5, 0)),
      `<D:getetag/><C:calendar-data><C:expand start="${icalUtc(at(3, 0))}" end="${icalUtc(at(5, 0))}"/></C:calendar-data>`,
    );
    const [standup] = await parseMultistatus(response.text);
    const data = standup.found.get('{urn:ietf:params:xml:ns:caldav}calendar-data')?.text ?? '';
    expect(data.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(data).not.toContain('RRULE');
    expect(data).toContain(`RECURRENCE-ID:${icalUtc(at(3, 10))}`);
    expect(data).toContain(`DTSTART:${icalUtc(at(3, 15))}`);
    expect(data).toContain(`DTSTART:${icalUtc(at(4, 10))}`);
  });

  it('answers free-busy-query with the busy time of the range, the override where it moved to', async () => {
    const response = await send('REPORT', events, { Depth: '1' }, `<C:free-busy-query ${C}><C:time-range start="${icalUtc(at(3, 0))}" end="${icalUtc(at(5, 0))}"/></C:free-busy-query>`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/calendar/);
    expect(response.text).toContain('BEGIN:VFREEBUSY');
    const busy = [...response.text.matchAll(/^FREEBUSY[^:]*:(\S+)/gm)].map((m) => m[1]);
    expect(busy).toEqual([`${icalUtc(at(3, 15))}/${icalUtc(at(3, 16))}`, `${icalUtc(at(4, 10))}/${icalUtc(at(4, 10.5))}`]);
  });

  it('lets a real client fetch the objects of a time range (calendar-query, then multiget)', async () => {
    const client = await caldavClient(server().url, server().demo.login, server().demo.password, DAVX5_UA);
    const calendar = (await client.fetchCalendars()).find((c) => c.displayName === 'Calendar')!;
    const all = await client.fetchCalendarObjects({ calendar });
    expect(all.map((o) => o.url.split('/').pop()).sort()).toEqual(['review.ics', 'standup.ics']);
    const inWeek = await client.fetchCalendarObjects({ calendar, timeRange: { start: at(0, 0).toISOString(), end: at(7, 0).toISOString() } });
    expect(inWeek.map((o) => o.url.split('/').pop())).toEqual(['standup.ics']);
    expect(String(inWeek[0].data)).toContain('RRULE:FREQ=DAILY;COUNT=30');
  });

  it('expands in calendar-multiget too (calendar-data expand)', async () => {
    const body = `<C:calendar-multiget ${C}><D:prop><D:getetag/><C:calendar-data><C:expand start="${icalUtc(at(0, 0))}" end="${icalUtc(at(5, 0))}"/></C:calendar-data></D:prop><D:href>${events}standup.ics</D:href></C:calendar-multiget>`;
    const response = await send('REPORT', events, { Depth: '1' }, body);
    expect(response.status).toBe(207);
    const [entry] = await parseMultistatus(response.text);
    const data = entry.found.get('{urn:ietf:params:xml:ns:caldav}calendar-data')?.text ?? '';
    expect(data).not.toContain('RRULE');
    // Days 0, 1, 3 (moved) and 4 in range; day 2 excluded.
    expect(data.match(/RECURRENCE-ID/g)).toHaveLength(4);
    expect(data).toContain(`DTSTART:${icalUtc(at(3, 15))}`);
  });
});
