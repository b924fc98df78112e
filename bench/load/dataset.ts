import { EUROPE_BERLIN, vcard } from '@davmesh/testing';

const DAY = 86_400_000;

/** A day as an iCalendar DATE (`20261207`), from a UTC day number. */
const date = (day: number) => new Date(day * DAY).toISOString().slice(0, 10).replace(/-/g, '');
const utc = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

type Kind = 'single' | 'series' | 'all-day';
type End = 'count' | 'until' | 'open';

/** What an event is, enough to know which of its instances fall in a time range (by local day). */
interface EventShape {
  kind: Kind;
  /** UTC day number of the first instance's local day. */
  day: number;
  /** Local start hour (Europe/Berlin), 7-10: instances end by 10:00 UTC, far from the query's noon boundaries. */
  hour: number;
  end?: End;
  /** Weekly instances of a series by index from 0; open series: unbounded. */
  instances?: number;
  exdates?: number[];
}

/**
 * The issue's calendar: 60% single events with a VTIMEZONE, 20% weekly series ending by
 * COUNT, by UNTIL or never (each with EXDATEs), 20% all-day events, spread over a year from
 * 25 days back; and vCard 3.0 contacts. Every server gets the same objects, so the checks know
 * how many answers each request must carry.
 */
export class LoadDataset {
  readonly today = Math.floor(Date.now() / DAY);
  readonly shapes: EventShape[];
  /** The queried month: noon UTC of day +30 to noon of day +60. Timed instances end by 10:00 UTC, all-day ones are a day long: none touches a boundary in any zone within ±11 h. */
  readonly rangeStartDay = this.today + 30;
  readonly rangeEndDay = this.today + 60;

  constructor(
    readonly events = 2000,
    readonly contacts = 1000,
    readonly salt = Math.random().toString(36).slice(2, 8),
  ) {
    this.shapes = Array.from({ length: events }, (_, i) => this.shape(i));
  }

  private shape(i: number): EventShape {
    // From 25 days back to 330 ahead: inside davmesh's default sync window (a month back, a year ahead), which hides older objects from listings.
    const day = this.today + ((i * 37) % 355) - 25;
    const hour = 7 + (i % 4);
    const kind: Kind = i % 5 === 3 ? 'series' : i % 5 === 4 ? 'all-day' : 'single';
    if (kind !== 'series') return { kind, day, hour };
    const end: End = (['count', 'until', 'open'] as const)[Math.floor(i / 5) % 3];
    return { kind, day, hour, end, instances: end === 'open' ? undefined : 10, exdates: i % 2 ? [1, 3] : [2] };
  }

  eventName(i: number): string {
    return `${this.uid(i)}.ics`;
  }

  contactName(i: number): string {
    return `${this.uid(i)}.vcf`;
  }

  uid(i: number): string {
    return `load-${this.salt}-${i}`;
  }

  /** Event i's iCalendar text; `note` changes it (the sync workload's edits). */
  event(i: number, note = ''): string {
    const shape = this.shapes[i] ?? this.shape(i);
    const local = (day: number) => `${date(day)}T${String(shape.hour).padStart(2, '0')}0000`;
    const common = [`UID:${this.uid(i)}`, `DTSTAMP:${utc(this.today * DAY)}`, `SUMMARY:Load event ${i}${note}`, `LOCATION:Room ${i % 40}`, `DESCRIPTION:Seeded by the load bench (${shape.kind}).`];
    const lines =
      shape.kind === 'all-day'
        ? ['BEGIN:VEVENT', ...common, `DTSTART;VALUE=DATE:${date(shape.day)}`, `DTEND;VALUE=DATE:${date(shape.day + 1)}`, 'TRANSP:TRANSPARENT', 'END:VEVENT']
        : [
            ...EUROPE_BERLIN,
            'BEGIN:VEVENT',
            ...common,
            `DTSTART;TZID=Europe/Berlin:${local(shape.day)}`,
            `DTEND;TZID=Europe/Berlin:${`${date(shape.day)}T${String(shape.hour + 1).padStart(2, '0')}0000`}`,
            ...(shape.kind === 'series' ? this.recurrence(shape, local) : []),
            'END:VEVENT',
          ];
    return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//load bench//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
  }

  private recurrence(shape: EventShape, local: (day: number) => string): string[] {
    // UNTIL three days after the 10th instance's day: it ends the series after exactly 10 instances.
    const rule = shape.end === 'count' ? ';COUNT=10' : shape.end === 'until' ? `;UNTIL=${date(shape.day + 9 * 7 + 3)}T000000Z` : '';
    return [`RRULE:FREQ=WEEKLY${rule}`, ...shape.exdates!.map((n) => `EXDATE;TZID=Europe/Berlin:${local(shape.day + n * 7)}`)];
  }

  contact(i: number): string {
    return vcard(this.uid(i), `Load Person ${i}`, [
      `EMAIL;TYPE=INTERNET:person${i}@example.org`,
      `TEL;TYPE=CELL:+49 30 ${100000 + i}`,
      `ORG:Example ${i % 37}`,
      `ADR;TYPE=WORK:;;Street ${i};Berlin;;${10000 + i};Germany`,
    ]);
  }

  /** Local days of event i's instances that a query of the month matches. */
  private matchingDays(i: number): number[] {
    const shape = this.shapes[i];
    // Timed instances (05-10 UTC) match from the day after the range's start day up to its end day; all-day ones from the start day.
    const first = shape.kind === 'all-day' ? this.rangeStartDay : this.rangeStartDay + 1;
    const inRange = (day: number) => day >= first && day <= this.rangeEndDay;
    if (shape.kind !== 'series') return inRange(shape.day) ? [shape.day] : [];
    const days: number[] = [];
    for (let n = 0; shape.instances === undefined ? shape.day + n * 7 <= this.rangeEndDay : n < shape.instances; n++) {
      if (!shape.exdates!.includes(n) && inRange(shape.day + n * 7)) days.push(shape.day + n * 7);
    }
    return days;
  }

  /** Objects a calendar-query of the month returns, and the VEVENTs once expanded. */
  expectedQuery(): { objects: number; instances: number } {
    let objects = 0;
    let instances = 0;
    for (let i = 0; i < this.events; i++) {
      const days = this.matchingDays(i).length;
      if (days) objects++;
      instances += days;
    }
    return { objects, instances };
  }

  /** The query's range as CalDAV time-range attributes. */
  rangeAttributes(): string {
    return `start="${utc(this.rangeStartDay * DAY + DAY / 2)}" end="${utc(this.rangeEndDay * DAY + DAY / 2)}"`;
  }
}
