import { type FuzzRequest } from './fuzz-case';
import { type DavTarget } from './dav-target';
import { type HttpAnswer, type RawRequest } from './http-exchange';

export type LaneCollection = 'calendar' | 'tasks' | 'book';
const EXTENSION: Record<LaneCollection, string> = { calendar: 'ics', tasks: 'ics', book: 'vcf' };
export const CALENDAR_HOME = '/dav/caldav/';
export const BOOK_HOME = '/dav/carddav/';

const HOME_STATE = '<D:propfind xmlns:D="DAV:"><D:allprop/><D:include><D:sync-token/></D:include></D:propfind>';
const OBJECT_STATE = '<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>';

const MKCALENDAR = (component: string) =>
  `<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>fuzz ${component}</D:displayname><C:supported-calendar-component-set><C:comp name="${component}"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`;
const MKCOL_BOOK = '<D:mkcol xmlns:D="DAV:" xmlns:A="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><A:addressbook/></D:resourcetype><D:displayname>fuzz book</D:displayname></D:prop></D:set></D:mkcol>';

/** Seed objects; resource names and UIDs are unique per user (and names per context), so they carry the lane and generation. */
const SEED_BODIES = (tag: string): Record<LaneCollection, { type: string; body: string }> => ({
  calendar: {
    type: 'text/calendar; charset=utf-8',
    body: ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//fuzz//EN', 'BEGIN:VEVENT', `UID:fuzz-seed-event-${tag}`, 'DTSTAMP:20260101T000000Z', 'DTSTART:20260105T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=4', 'SUMMARY:Seed', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n'),
  },
  tasks: {
    type: 'text/calendar; charset=utf-8',
    body: ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davmesh//fuzz//EN', 'BEGIN:VTODO', `UID:fuzz-seed-task-${tag}`, 'DTSTAMP:20260101T000000Z', 'DUE:20260105T090000Z', 'SUMMARY:Seed task', 'END:VTODO', 'END:VCALENDAR', ''].join('\r\n'),
  },
  book: { type: 'text/vcard; charset=utf-8', body: ['BEGIN:VCARD', 'VERSION:3.0', `UID:fuzz-seed-card-${tag}`, 'FN:Seed Card', 'N:Card;Seed;;;', 'EMAIL:seed@example.org', 'END:VCARD', ''].join('\r\n') },
});

/** `{date+N}` as the UTC date N days from today, YYYYMMDD. */
export function fillDates(text: string, now = Date.now()): string {
  return text.replace(/\{date\+(\d+)\}/g, (_, days: string) => new Date(now + Number(days) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, ''));
}

export class LaneSetupError extends Error {}

/**
 * One fuzzing lane: a user of its own with a calendar, a task list and an address book of its own,
 * each holding one seed object, so concurrent lanes never see each other's changes. The collections
 * are replaced by fresh ones on reset, which keeps the store small.
 */
export class Lane {
  collections: Record<LaneCollection, string> = { calendar: '', tasks: '', book: '' };
  seeds: Record<LaneCollection, string> = { calendar: '', tasks: '', book: '' };
  private seedEtags: Partial<Record<LaneCollection, string>> = {};
  private generation = 0;
  /** The lane's state after the last request that could not have changed it, if known. */
  private knownState?: { key: string; state: string };

  constructor(
    readonly target: DavTarget,
    readonly index: number,
    readonly login: string,
    readonly password: string,
  ) {}

  get basic(): string {
    return Buffer.from(`${this.login}:${this.password}`).toString('base64');
  }

  /** A request as this lane's user (unless it brings its own Authorization). */
  send(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<HttpAnswer> {
    const hasAuth = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
    return this.target.send({ method, path, headers: { ...(hasAuth ? {} : { Authorization: `Basic ${this.basic}` }), ...headers }, body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body });
  }

  /** Fresh collections with their seeds; every collection the fuzzer made in the homes is deleted. */
  async reset(): Promise<void> {
    this.generation += 1;
    this.knownState = undefined;
    for (const home of [CALENDAR_HOME, BOOK_HOME]) {
      const listing = await this.send('PROPFIND', home, { Depth: '1' }, '<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>');
      for (const match of listing.text.matchAll(/<d:href>([^<]+)<\/d:href>/g)) {
        if (match[1].startsWith(`${home}fz-`)) await this.send('DELETE', match[1]);
      }
    }
    const stem = `fz-lane${this.index}-g${this.generation}`;
    const made: Record<LaneCollection, [string, string, string]> = {
      calendar: [`${CALENDAR_HOME}${stem}-events/`, 'MKCALENDAR', MKCALENDAR('VEVENT')],
      tasks: [`${CALENDAR_HOME}${stem}-tasks/`, 'MKCALENDAR', MKCALENDAR('VTODO')],
      book: [`${BOOK_HOME}${stem}-book/`, 'MKCOL', MKCOL_BOOK],
    };
    for (const [role, [path, method, body]] of Object.entries(made) as [LaneCollection, [string, string, string]][]) {
      const created = await this.send(method, path, { 'Content-Type': 'application/xml; charset=utf-8' }, body);
      if (created.status !== 201) throw new LaneSetupError(`${method} ${path}: ${created.status || created.error} ${created.text.slice(0, 200)}`);
      this.collections[role] = path;
      const tag = `l${this.index}-g${this.generation}`;
      this.seeds[role] = `${path}seed-${role}-${tag}.${EXTENSION[role]}`;
      const seedBody = SEED_BODIES(tag)[role];
      const seed = await this.send('PUT', this.seeds[role], { 'Content-Type': seedBody.type }, seedBody.body);
      if (seed.status !== 201) throw new LaneSetupError(`seed PUT ${path}: ${seed.status || seed.error} ${seed.text.slice(0, 200)}`);
      this.seedEtags[role] = String(seed.headers['etag'] ?? '');
    }
  }

  private seedEtagsStale = false;

  /** The seed ETags may have changed after a successful write; read again when an input next needs one. */
  seedsMayHaveChanged(): void {
    this.seedEtagsStale = true;
  }

  /** Brings what the request's placeholders need up to date. */
  async prepare(request: FuzzRequest): Promise<void> {
    if (this.seedEtagsStale && JSON.stringify(request.headers).includes('{seed-etag}')) await this.refreshSeedEtags();
  }

  private async refreshSeedEtags(): Promise<void> {
    this.seedEtagsStale = false;
    for (const role of Object.keys(this.collections) as LaneCollection[]) {
      const head = await this.send('HEAD', this.seeds[role]);
      this.seedEtags[role] = String(head.headers['etag'] ?? '"gone"');
    }
  }

  /** The request with this lane's paths, credentials and ETags in place of the placeholders. */
  resolve(request: FuzzRequest): RawRequest {
    const origin = this.target.origin;
    const values: Record<string, string> = {
      calendar: this.collections.calendar,
      tasks: this.collections.tasks,
      book: this.collections.book,
      'calendar-seed': this.seeds.calendar,
      'tasks-seed': this.seeds.tasks,
      'book-seed': this.seeds.book,
      'calendar-home': CALENDAR_HOME,
      'book-home': BOOK_HOME,
      origin: origin.origin,
      host: origin.host,
      'lane-basic': this.basic,
    };
    const pathRole = (Object.keys(this.collections) as LaneCollection[]).find((role) => request.path.startsWith(`{${role}`)) ?? 'calendar';
    values['seed-etag'] = this.seedEtags[pathRole] ?? '"none"';
    const fill = (text: string) => text.replace(/\{([a-z-]+)\}/g, (whole, name: string) => values[name] ?? whole);
    const body = request.bodyBase64 !== undefined ? Buffer.from(request.bodyBase64, 'base64') : request.body !== undefined ? Buffer.from(fillDates(request.body), 'utf8') : undefined;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, fill(value)]));
    const hasAuth = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
    return { method: request.method, path: fill(request.path), headers: { ...(hasAuth ? {} : { Authorization: `Basic ${this.basic}` }), ...headers }, body };
  }

  /**
   * What a refused request must leave alone: both homes with every collection's properties and
   * sync-token (which moves with any change to a member), and the targeted object's properties.
   * Undefined when the server does not answer the state requests.
   */
  async state(objectPath?: string): Promise<string | undefined> {
    const key = objectPath ?? '';
    if (this.knownState?.key === key) return this.knownState.state;
    const parts: string[] = [];
    for (const home of [CALENDAR_HOME, BOOK_HOME]) {
      const answer = await this.send('PROPFIND', home, { Depth: '1', 'Content-Type': 'application/xml' }, HOME_STATE);
      if (answer.status !== 207) return undefined;
      parts.push(answer.text);
    }
    if (objectPath) {
      const answer = await this.send('PROPFIND', objectPath, { Depth: '0', 'Content-Type': 'application/xml' }, OBJECT_STATE);
      parts.push(`${answer.status} ${answer.status === 207 ? answer.text : ''}`);
    }
    const state = parts.join('\n');
    this.knownState = { key, state };
    return state;
  }

  /** Something may have changed: the next state must be read from the server. */
  forgetState(): void {
    this.knownState = undefined;
  }
}
