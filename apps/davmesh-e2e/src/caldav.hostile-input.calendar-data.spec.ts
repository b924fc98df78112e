import { ConfigSet, ConfigUnset, UsersAdd } from '@davmesh/contracts';
import { vcalendar, vevent } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const C = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"';
/** A July day inside the default sync window (a month back, a year ahead) wherever the suite runs. */
const day = (() => {
  const now = new Date();
  const year = now.getUTCMonth() >= 6 ? now.getUTCFullYear() + 1 : now.getUTCFullYear();
  return `${year}0706`;
})();

function parisZone(offset: string): string[] {
  return ['BEGIN:VTIMEZONE', 'TZID:Europe/Paris', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`, 'END:STANDARD', 'END:VTIMEZONE'];
}

describe('CalDAV hostile input: calendar data that would freeze, poison or break the server is refused or contained', () => {
  const server = sharedNodePerSuite();
  let demo: ReturnType<typeof dav>;
  let mallory: ReturnType<typeof dav>;
  let events: string;
  let malloryEvents: string;
  let malloryContext: number;
  const put = (send: ReturnType<typeof dav>, path: string, body: string) => send('PUT', path, { 'Content-Type': 'text/calendar; charset=utf-8' }, body);
  const expandQuery = (start: string, end: string) =>
    `<C:calendar-query ${C}><D:prop><C:calendar-data><C:expand start="${start}" end="${end}"/></C:calendar-data></D:prop>` +
    `<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${start}" end="${end}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;

  beforeAll(async () => {
    demo = dav(server().url, server().demo.login, server().demo.password);
    events = (await calendarHrefs(demo))['Calendar'];
    malloryContext = await server().addContext('other');
    const { login } = await server().bus.call(UsersAdd, { login: `mallory-${malloryContext}`, password: 'secret', contextId: malloryContext, displayName: 'Mallory', email: 'mallory@example.org' });
    mallory = dav(server().url, login, 'secret');
    malloryEvents = (await calendarHrefs(mallory))['Calendar'];
  }, 60_000);

  it('refuses a VTIMEZONE whose observance recurs every minute, and keeps serving', async () => {
    const zone = ['BEGIN:VTIMEZONE', 'TZID:Busy/Zone', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'RRULE:FREQ=MINUTELY', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', 'END:STANDARD', 'END:VTIMEZONE'];
    const response = await put(demo, `${events}minutely.ics`, vcalendar(...zone, ...vevent('minutely', `DTSTART;TZID=Busy/Zone:${day}T100000`, 'SUMMARY:x')));
    expect(response.status).toBe(403);
    expect(response.text).toContain('<cal:valid-calendar-data/>');
    expect((await demo('GET', `${events}minutely.ics`)).status).toBe(404);
    expect((await demo('PROPFIND', events, { Depth: '0' })).status).toBe(207);
  });

  it("keeps a VTIMEZONE inside its own object: another context's Europe/Paris at +14:00 moves nobody else's events", async () => {
    const poisoned = vcalendar(...parisZone('+1400'), ...vevent('poison', `DTSTART;TZID=Europe/Paris:${day}T100000`, `DTEND;TZID=Europe/Paris:${day}T110000`, 'SUMMARY:mallory'));
    expect((await put(mallory, `${malloryEvents}poison.ics`, poisoned)).status).toBe(201);
    const mine = vcalendar(...vevent('paris', `DTSTART;TZID=Europe/Paris:${day}T100000`, `DTEND;TZID=Europe/Paris:${day}T110000`, 'SUMMARY:demo'));
    expect((await put(demo, `${events}paris.ics`, mine)).status).toBe(201);

    const range = [`${day}T000000Z`, `${day}T235959Z`] as const;
    const expanded = await demo('REPORT', events, { Depth: '1' }, expandQuery(...range));
    expect(expanded.status).toBe(207);
    // July in Paris is UTC+2 by IANA: 10:00 there is 08:00 UTC.
    expect(expanded.text).toContain(`DTSTART:${day}T080000Z`);
    const narrow = await demo('REPORT', events, { Depth: '1' }, expandQuery(`${day}T073000Z`, `${day}T083000Z`));
    expect(narrow.text).toContain('paris.ics');
    const busy = await demo('REPORT', events, { Depth: '1' }, `<C:free-busy-query ${C}><C:time-range start="${range[0]}" end="${range[1]}"/></C:free-busy-query>`);
    expect(busy.text).toMatch(new RegExp(`FREEBUSY[^:]*:${day}T080000Z/${day}T090000Z`));
    // The uploader's own object keeps its own zone: 10:00 at +14:00 is 20:00 UTC the day before.
    const theirs = await mallory('REPORT', malloryEvents, { Depth: '1' }, expandQuery(`${day.slice(0, 6)}01T000000Z`, `${day.slice(0, 6)}28T000000Z`));
    expect(theirs.text).toMatch(/DTSTART:\d{8}T200000Z/);
  });

  it.each([
    ['a rule every second without end', ['RRULE:FREQ=SECONDLY']],
    ['COUNT=999999999', ['RRULE:FREQ=DAILY;COUNT=999999999']],
    // ical.js walks such a rule until the budget ends it: 2 million steps were 70 s of one thread.
    ['a rule that never yields, FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', ['RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30']],
    ['21,000 EXDATE values', ['RRULE:FREQ=DAILY', `EXDATE:${Array.from({ length: 21_000 }, (_, i) => new Date(Date.UTC(2030, 0, 1 + i)).toISOString().replace(/[-:]|\.\d+/g, '')).join(',')}`]],
  ])('refuses %s at PUT with CALDAV:max-instances', async (_name, rules) => {
    const response = await put(demo, `${events}dense.ics`, vcalendar(...vevent('dense', `DTSTART:${day}T100000Z`, 'DURATION:PT1S', ...rules)));
    expect(response.status).toBe(403);
    expect(response.text).toContain('<cal:max-instances/>');
    expect((await demo('GET', `${events}dense.ics`)).status).toBe(404);
  });

  it('advertises CALDAV:max-instances on calendars', async () => {
    const response = await demo('PROPFIND', events, { Depth: '0' }, `<D:propfind ${C}><D:prop><C:max-instances/></D:prop></D:propfind>`);
    expect(response.text).toMatch(/<cal:max-instances>20000<\/cal:max-instances>/);
  });

  it.each([
    ['DTSTART:not-a-date', ['DTSTART:not-a-date']],
    ['a date that does not exist', ['DTSTART:20269999T999999']],
    ['DURATION:1 hour', [`DTSTART:${day}T100000Z`, 'DURATION:1 hour']],
    ['EXDATE:garbage', [`DTSTART:${day}T100000Z`, 'RRULE:FREQ=DAILY;COUNT=3', 'EXDATE:garbage']],
    ['INTERVAL=0', [`DTSTART:${day}T100000Z`, 'RRULE:FREQ=DAILY;INTERVAL=0']],
    ['BYMONTHDAY=0, a rule part no day matches', [`DTSTART:${day}T100000Z`, 'RRULE:FREQ=HOURLY;COUNT=52;BYDAY=-1SU;BYMONTH=1;BYMONTHDAY=0;BYSETPOS=-1']],
    ['BYDAY=60MO', [`DTSTART:${day}T100000Z`, 'RRULE:FREQ=YEARLY;BYDAY=60MO']],
    ['VALARMs nested 9 deep', [`DTSTART:${day}T100000Z`, ...Array.from({ length: 7 }, () => 'BEGIN:VALARM'), 'ACTION:DISPLAY', 'TRIGGER:-PT5M', ...Array.from({ length: 7 }, () => 'END:VALARM')]],
    ['a NUL in SUMMARY', [`DTSTART:${day}T100000Z`, 'SUMMARY:a\u0000b']],
    ['a TZID of 100,000 characters', [`DTSTART;TZID=${'Z'.repeat(100_000)}:${day}T100000`]],
  ])('refuses %s with CALDAV:valid-calendar-data, storing nothing', async (_name, props) => {
    const response = await put(demo, `${events}bad.ics`, vcalendar(...vevent('bad', ...props)));
    expect(response.status).toBe(403);
    expect(response.text).toContain('<cal:valid-calendar-data/>');
    expect((await demo('GET', `${events}bad.ics`)).status).toBe(404);
  });

  it('answers an expansion with more instances than allowed with number-of-matches-within-limits, not a silent cut', async () => {
    expect((await put(demo, `${events}daily.ics`, vcalendar(...vevent('daily', `DTSTART:${day}T100000Z`, 'DURATION:PT1H', 'RRULE:FREQ=DAILY')))).status).toBe(201);
    const response = await demo('REPORT', events, { Depth: '1' }, expandQuery('20000101T000000Z', '20990101T000000Z'));
    expect(response.status).toBe(507);
    expect(response.text).toContain('number-of-matches-within-limits');
    expect((await demo('DELETE', `${events}daily.ics`)).status).toBe(204);
  });

  it('ends a calendar-query with more matches than davmesh.limits.queryResults with a 507 for the collection', async () => {
    const folder = (await calendarHrefs(mallory))['Calendar'];
    for (let i = 0; i < 12; i++) {
      expect((await put(mallory, `${folder}many-${i}.ics`, vcalendar(...vevent(`many-${i}`, `DTSTART:${day}T1${i % 10}0000Z`, 'DURATION:PT1H')))).status).toBe(201);
    }
    await server().bus.call(ConfigSet, { key: 'davmesh.limits.queryResults', value: 10, contextId: malloryContext });
    try {
      const response = await mallory('REPORT', folder, { Depth: '1' }, expandQuery(`${day}T000000Z`, `${day}T235959Z`));
      expect(response.status).toBe(207);
      expect(response.text.match(/many-\d+\.ics/g)).toHaveLength(10);
      expect(response.text).toMatch(/<d:status>HTTP\/1.1 507 Insufficient Storage<\/d:status><d:error><d:number-of-matches-within-limits\/>/);
    } finally {
      await server().bus.call(ConfigUnset, { key: 'davmesh.limits.queryResults', contextId: malloryContext });
    }
  });

  it('refuses a calendar-multiget naming more hrefs than davmesh.limits.multigetHrefs', async () => {
    const hrefs = Array.from({ length: 1001 }, (_, i) => `<D:href>${events}x${i}.ics</D:href>`).join('');
    const response = await demo('REPORT', events, { Depth: '1' }, `<C:calendar-multiget ${C}><D:prop><D:getetag/></D:prop>${hrefs}</C:calendar-multiget>`);
    expect(response.status).toBe(403);
    expect(response.text).toContain('number-of-matches-within-limits');
  });

  it.each([
    ['an empty body', ''],
    ['two VCALENDARs', vcalendar(...vevent('one', `DTSTART:${day}T100000Z`)) + vcalendar(...vevent('two', `DTSTART:${day}T100000Z`))],
    ['a DURATION beyond any representable date', vcalendar(...vevent('forever', `DTSTART;VALUE=DATE:${day}`, 'DURATION:P99999999W'))],
    ['an END line twice', vcalendar(...vevent('twice', `DTSTART:${day}T100000Z`)).replace('END:VEVENT\r\n', 'END:VEVENT\r\nEND:VEVENT\r\n')],
  ])('refuses %s with valid-calendar-data (was 500) and stores nothing', async (_, body) => {
    const response = await put(demo, `${events}broken.ics`, body);
    expect(response.status).toBe(403);
    expect(response.text).toContain('<cal:valid-calendar-data/>');
    expect((await demo('GET', `${events}broken.ics`)).status).toBe(404);
  });

  it('serves an object whose property and component names are those of Object.prototype, expanded too (was 500 on expand)', async () => {
    const body = vcalendar('constructor:VTODO', ...vevent('proto-names', `DTSTART:${day}T100000Z`, 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=2', 'constructor:x', '__proto__:y', 'hasOwnProperty;VALUE=toString:z'));
    expect((await put(demo, `${events}proto-names.ics`, body)).status).toBe(201);
    const expanded = await demo('REPORT', events, { Depth: '1' }, expandQuery(`${day}T000000Z`, `${day}T235959Z`));
    expect(expanded.status).toBe(207);
    expect(expanded.text).toMatch(/constructor:x/i);
    expect((await demo('GET', `${events}proto-names.ics`)).text).toMatch(/__proto__:y/i);
    expect((await demo('DELETE', `${events}proto-names.ics`)).status).toBe(204);
  });
});
