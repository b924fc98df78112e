import { randomBytes } from 'node:crypto';
import {
  count,
  davRequest,
  DAVX5_UA,
  expectStatus,
  GETETAG,
  inParallel,
  measure,
  measureIncrementalSync,
  type DavTarget,
  type Measurement,
} from './http-timing';

const DAY = 86_400_000;

/** UTC iCalendar stamp of an instant. */
const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * Event i of a seeded calendar: spread from 25 days back to 330 days ahead (inside the
 * default sync window of one month back, one year ahead), every tenth a weekly series.
 */
export function seededEvent(i: number, salt: string, now: number, note = ''): string {
  const start = Math.floor(now / DAY) * DAY + (((i * 37) % 355) - 25) * DAY + (8 + (i % 9)) * 3600_000;
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//davmesh//bench//EN',
    'BEGIN:VEVENT',
    `UID:bench-${salt}-${i}`,
    `DTSTAMP:${stamp(now)}`,
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(start + 3600_000)}`,
    `SUMMARY:Bench event ${i}${note}`,
    ...(i % 10 === 0 ? ['RRULE:FREQ=WEEKLY;COUNT=10'] : []),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const multiget = (hrefs: string[]) =>
  `<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>${hrefs
    .map((h) => `<D:href>${h}</D:href>`)
    .join('')}</C:calendar-multiget>`;

function monthQuery(now: number, expand: boolean): string {
  const range = `start="${stamp(now)}" end="${stamp(now + 30 * DAY)}"`;
  const data = expand ? `<C:calendar-data><C:expand ${range}/></C:calendar-data>` : '<C:calendar-data/>';
  return `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/>${data}</D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range ${range}/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;
}

export interface CalendarBenchResult {
  seedSeconds: number;
  measurements: Measurement[];
}

/**
 * The CalDAV workloads on one calendar collection (`calendar`, a path ending in /) of a
 * target: seeds `objects` events over HTTP unless `seed` does it faster, then measures.
 */
export async function benchCalendar(
  target: DavTarget,
  calendar: string,
  objects: number,
  seed?: (ical: (i: number) => string, name: (i: number) => string) => Promise<void>,
): Promise<CalendarBenchResult> {
  const salt = randomBytes(3).toString('hex');
  const now = Date.now();
  const name = (i: number) => `e${i}.ics`;
  const seedStart = Date.now();
  if (seed) await seed((i) => seededEvent(i, salt, now), name);
  else {
    await inParallel(objects, 8, async (i) => {
      const response = await davRequest(target, 'PUT', `${calendar}${name(i)}`, seededEvent(i, salt, now), { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' });
      expectStatus(response, 201, `seed PUT ${i}`);
    });
  }
  const seedSeconds = (Date.now() - seedStart) / 1000;
  const pick50 = (round: number) => Array.from({ length: 50 }, (_, k) => name((round * 997 + k * 101) % objects));
  const measurements: Measurement[] = [];
  const big = objects > 5000;

  measurements.push(
    await measure('PROPFIND Depth 1 getetag', big ? 5 : 10, async () => {
      const response = await davRequest(target, 'PROPFIND', calendar, GETETAG, { Depth: '1' });
      expectStatus(response, 207, 'PROPFIND');
      if (count(response.text, /getetag>/g) < 2) throw new Error('PROPFIND answered no objects');
    }),
  );
  measurements.push(
    await measure('calendar-multiget of 50', 40, async (round) => {
      const response = await davRequest(target, 'REPORT', calendar, multiget(pick50(round).map((n) => `${calendar}${n}`)), { Depth: '1' });
      expectStatus(response, 207, 'multiget');
      if (count(response.text, /BEGIN:VEVENT/g) < 50) throw new Error('multiget answered too few events');
    }),
  );
  for (const expand of [false, true]) {
    measurements.push(
      await measure(`calendar-query one month${expand ? ', expanded' : ''}`, big ? 10 : 20, async () => {
        const response = await davRequest(target, 'REPORT', calendar, monthQuery(now, expand), { Depth: '1' });
        expectStatus(response, 207, 'calendar-query');
        if (count(response.text, /BEGIN:VEVENT/g) === 0) throw new Error('calendar-query found nothing');
      }),
    );
  }

  measurements.push(
    await measureIncrementalSync('sync-collection incremental after 10 changes', target, calendar, 15, async (round, k) => {
      const i = ((round * 10 + k) * 7) % objects;
      const edited = seededEvent(i, salt, now, ` edit ${round}`);
      expectStatus(await davRequest(target, 'PUT', `${calendar}${name(i)}`, edited, { 'Content-Type': 'text/calendar; charset=utf-8' }), [200, 201, 204], 'change PUT');
    }),
  );

  measurements.push(
    await measure('PUT (new event)', 40, async (round) => {
      const response = await davRequest(target, 'PUT', `${calendar}new-${salt}-${round}.ics`, seededEvent(objects + round, salt, now), {
        'Content-Type': 'text/calendar; charset=utf-8',
        'If-None-Match': '*',
      });
      expectStatus(response, 201, 'PUT');
    }),
  );
  measurements.push(
    await measure('GET', 40, async (round) => {
      const response = await davRequest(target, 'GET', `${calendar}${name((round * 131) % objects)}`, undefined, {});
      expectStatus(response, 200, 'GET');
    }),
  );
  return { seedSeconds, measurements };
}

/** Creates a calendar collection with MKCALENDAR on any CalDAV server. */
export async function makeCalendar(target: DavTarget, path: string): Promise<void> {
  const body = `<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>bench</D:displayname><C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`;
  expectStatus(await davRequest(target, 'MKCALENDAR', path, body), 201, 'MKCALENDAR');
}

export function basicTarget(url: string, user: string, password: string): DavTarget {
  return { url: url.replace(/\/$/, ''), authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, userAgent: DAVX5_UA };
}
