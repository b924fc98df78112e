import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CalendarFolderChanged,
  CalendarFoldersCreate,
  CalendarObjectsMove,
  CalendarSyncChanges,
  ContextsAdd,
  ImipReceive,
  UsersAdd,
  type CalendarFolderChangedEvent,
  type CalendarObject,
  type User,
} from '@davmesh/contracts';
import {
  calendarBusView,
  describeWithConfigOnEachStore,
  openMigratedPGlite,
  startCalendarWithConfig,
  type CalendarWithConfig,
  type StorageServiceHarness,
} from '@davmesh/service-testing';
import { eventually, partstatOf, scheduleStatusOf, startSmtpRelay, vcalendar, vevent, withPartstat, type TestSmtpRelay } from '@davmesh/testing';

const CONTEXT = 31;
const meeting = (uid: string, organizer: string, ...lines: string[]) =>
  vcalendar(...vevent(uid, 'SUMMARY:Supplier review', 'DTSTART:20300310T100000Z', 'DTEND:20300310T110000Z', 'SEQUENCE:0', `ORGANIZER;CN=Organizer:mailto:${organizer}`, ...lines));
const invited = (address: string) => `ATTENDEE;CN=${address.split('@')[0]};PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${address}`;
const withoutStatuses = (ical: string) => ical.replace(/\r\n[ \t]/g, '').replace(/;SCHEDULE-STATUS=[\d.]+/g, '');

/** A server configuration directory whose imip.properties holds these lines. */
function configDirWith(...lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'davmesh-imip-writeback-'));
  writeFileSync(join(dir, 'imip.properties'), [...lines, ''].join('\n'));
  return dir;
}

describeWithConfigOnEachStore('iMIP outcomes written back as SCHEDULE-STATUS, through a real SMTP relay', (start) => {
  let relay: TestSmtpRelay;
  let configDir: string;
  let services: CalendarWithConfig;
  let harness: StorageServiceHarness;
  let olga: User;
  let bert: User;
  let the: ReturnType<typeof calendarBusView>;

  beforeAll(async () => {
    relay = await startSmtpRelay();
    // A first retry 4 s after a temporary failure: a newer message queued meanwhile goes first.
    configDir = configDirWith(`davmesh.imip.smtp.url=${relay.url}`, 'davmesh.imip.from=calendar@example.org', 'davmesh.imip.retry.firstDelaySeconds=4');
    services = await start(configDir);
    harness = services.harness;
    await harness.bus.call(ContextsAdd, { contextId: CONTEXT, name: 'writeback' });
    olga = await harness.bus.call(UsersAdd, { login: 'olga-wb', password: 'pw-olga-1', contextId: CONTEXT, email: 'olga@example.org', displayName: 'Olga' });
    bert = await harness.bus.call(UsersAdd, { login: 'bert-wb', password: 'pw-bert-1', contextId: CONTEXT, email: 'bert@example.org', displayName: 'Bert' });
    the = calendarBusView(harness.bus);
  }, 90_000);

  afterAll(async () => {
    await services?.close();
    await relay?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it("writes what the relay answered onto the organizer's copy: 1.1 for the one it took, 5.3 and 3.7 for the ones it refused, each on that attendee only", async () => {
    relay.answerRcpt = (address) =>
      address === 'carl@partner.example' ? { code: 550, message: '5.7.1 Relaying denied' } : address === 'dora@partner.example' ? { code: 550, message: '5.1.1 No such user' } : undefined;
    const announced = harness.events(CalendarFolderChanged.subject) as CalendarFolderChangedEvent[];
    const body = meeting('review-1', 'olga@example.org', invited('bob@partner.example'), invited('carl@partner.example'), invited('dora@partner.example'), invited('bert@example.org'));
    const stored = await the.put(olga.userId, 'review-1.ics', body);
    const queuedCopy = await the.copyOf(olga.userId, 'review-1');
    expect(['bob', 'carl', 'dora'].map((who) => scheduleStatusOf(queuedCopy.ical, `${who}@partner.example`))).toEqual(['1.0', '1.0', '1.0']);
    expect(queuedCopy.etag).toBe(stored.etag);

    let settled!: CalendarObject;
    await eventually(async () => {
      settled = await the.copyOf(olga.userId, 'review-1');
      expect(['bob', 'carl', 'dora'].map((who) => scheduleStatusOf(settled.ical, `${who}@partner.example`))).toEqual(['1.1', '5.3', '3.7']);
    }, 10_000);
    // The colleague's delivery, and everything but the statuses, as they were; the Schedule-Tag too (the owner did not write).
    expect(scheduleStatusOf(settled.ical, 'bert@example.org')).toBe('1.2');
    expect(withoutStatuses(settled.ical)).toBe(withoutStatuses(queuedCopy.ical));
    expect(settled.scheduleTag).toBe(stored.scheduleTag);
    expect(settled.etag).not.toBe(stored.etag);
    // A client syncing from the PUT's token learns of the change, and every node's caches hear of it.
    const changes = await harness.bus.call(CalendarSyncChanges, { userId: olga.userId, folderId: stored.folderId, sinceRevision: stored.revision, limit: 100 });
    expect(changes.changed.map((c) => [c.name, c.etag])).toEqual([['review-1.ics', settled.etag]]);
    await eventually(() => expect(announced).toContainEqual({ folderId: stored.folderId, ownerUserId: olga.userId, revision: changes.revision }));

    const [bob] = await the.queued('bob@partner.example');
    expect(bob.reference).toEqual({ ownerUserId: olga.userId, uid: 'review-1', recipient: 'mailto:bob@partner.example' });
  });

  it('keeps the status of the newest message to an attendee: an older one settling later (after a retry) does not overwrite it', async () => {
    // erin's first attempt is put off (451); the next is taken; any later one is refused for good.
    relay.answerRcpt = (address, attempt) =>
      address !== 'erin@partner.example' ? undefined : attempt === 1 ? { code: 451, message: '4.3.0 try later' } : attempt === 2 ? undefined : { code: 550, message: '5.7.1 Not now' };
    const first = meeting('review-2', 'olga@example.org', invited('erin@partner.example'));
    await the.put(olga.userId, 'review-2.ics', first);
    await eventually(async () => expect((await the.queued('erin@partner.example'))[0]).toMatchObject({ state: 'queued', attempts: 1 }), 10_000);

    // The organizer changes the description: a newer REQUEST to erin, taken at once.
    await the.put(olga.userId, 'review-2.ics', first.replace('SUMMARY:Supplier review', 'SUMMARY:Supplier review\r\nDESCRIPTION:Agenda attached'));
    await eventually(async () => expect((await the.queued('erin@partner.example')).map((m) => m.state)).toEqual(['queued', 'sent']), 10_000);
    await eventually(async () => expect(scheduleStatusOf((await the.copyOf(olga.userId, 'review-2')).ical, 'erin@partner.example')).toBe('1.1'));

    // The older one's retry is refused; the queue says so, the copy keeps what the newer one came to.
    await eventually(async () => expect((await the.queued('erin@partner.example')).map((m) => m.state)).toEqual(['refused', 'sent']), 15_000);
    expect(scheduleStatusOf((await the.copyOf(olga.userId, 'review-2')).ical, 'erin@partner.example')).toBe('1.1');
  });

  it('finds the copy by UID where the organizer moved it meanwhile', async () => {
    relay.answerRcpt = (address, attempt) => (address === 'fred@partner.example' && attempt === 1 ? { code: 451, message: '4.3.0 try later' } : undefined);
    const { folderId } = await the.put(olga.userId, 'review-3.ics', meeting('review-3', 'olga@example.org', invited('fred@partner.example')));
    await eventually(async () => expect((await the.queued('fred@partner.example'))[0]).toMatchObject({ state: 'queued', attempts: 1 }), 10_000);
    const other = await harness.bus.call(CalendarFoldersCreate, { userId: olga.userId, collectionName: 'projects', components: ['VEVENT'] });
    await harness.bus.call(CalendarObjectsMove, { userId: olga.userId, folderId, name: 'review-3.ics', toFolderId: other.folderId, toName: 'moved.ics', overwrite: false });

    await eventually(async () => {
      const moved = await the.copyOf(olga.userId, 'review-3');
      expect([moved.folderId, moved.name, scheduleStatusOf(moved.ical, 'fred@partner.example')]).toEqual([other.folderId, 'moved.ics', '1.1']);
    }, 15_000);
  });

  it('keeps the answer an attendee mailed back while their invitation still waited in the queue (2.0), whatever the queue then came to', async () => {
    relay.answerRcpt = (address, attempt) => (address === 'hugo@partner.example' && attempt === 1 ? { code: 451, message: '4.3.0 try later' } : undefined);
    await the.put(olga.userId, 'review-5.ics', meeting('review-5', 'olga@example.org', invited('hugo@partner.example')));
    await eventually(async () => expect((await the.queued('hugo@partner.example'))[0]).toMatchObject({ state: 'queued', attempts: 1 }), 10_000);
    const reply = vcalendar('METHOD:REPLY', ...vevent('review-5', 'SEQUENCE:0', 'ORGANIZER:mailto:olga@example.org', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:hugo@partner.example'));
    expect(await harness.bus.call(ImipReceive, { from: 'hugo@partner.example', ical: reply })).toMatchObject({ deliveries: [{ userId: olga.userId, outcome: 'applied' }] });
    const answered = await the.copyOf(olga.userId, 'review-5');
    expect([partstatOf(answered.ical, 'hugo@partner.example'), scheduleStatusOf(answered.ical, 'hugo@partner.example')]).toEqual(['ACCEPTED', '2.0']);

    await eventually(async () => expect((await the.queued('hugo@partner.example'))[0]).toMatchObject({ state: 'sent' }), 15_000);
    expect(await the.copyOf(olga.userId, 'review-5')).toMatchObject({ etag: answered.etag });
  });

  it("marks an attendee's REPLY to an organizer outside: the ORGANIZER of their copy goes from 1.0 (queued) to 1.1 (sent), and the REPLY is mailed", async () => {
    const invitation = meeting('review-4', 'gus@partner.example', invited('gus@partner.example'), invited('bert@example.org'));
    await the.put(bert.userId, 'review-4.ics', invitation);
    await the.put(bert.userId, 'review-4.ics', withPartstat(invitation, 'bert@example.org', 'ACCEPTED'));
    expect(scheduleStatusOf((await the.copyOf(bert.userId, 'review-4')).ical, 'gus@partner.example', 'ORGANIZER')).toBe('1.0');

    await eventually(async () => expect(scheduleStatusOf((await the.copyOf(bert.userId, 'review-4')).ical, 'gus@partner.example', 'ORGANIZER')).toBe('1.1'), 10_000);
    const mail = relay.mails.find((m) => m.rcptTo.includes('gus@partner.example'))!;
    expect([mail.parsed.from?.value[0].address, mail.parsed.subject]).toEqual(['bert@example.org', 'Accepted: Supplier review']);
  });
});

describe('iMIP outcomes without a relay (calendar and config services, embedded PGlite)', () => {
  let configDir: string;
  let services: CalendarWithConfig;

  beforeAll(async () => {
    configDir = configDirWith('davmesh.imip.from=calendar@example.org');
    const database = await openMigratedPGlite();
    const pair = await startCalendarWithConfig({ kind: 'pglite', db: database.db }, configDir);
    services = { harness: pair.harness, close: () => pair.close().finally(() => database.close()) };
  }, 60_000);

  afterAll(async () => {
    await services?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it("shows 5.1 on the organizer's copy: nothing was sent, and a resend once a relay is configured can work", async () => {
    const { harness } = services;
    await harness.bus.call(ContextsAdd, { contextId: CONTEXT, name: 'no relay' });
    const olga = await harness.bus.call(UsersAdd, { login: 'olga-nr', password: 'pw-olga-1', contextId: CONTEXT, email: 'olga@example.org' });
    const the = calendarBusView(harness.bus);
    await the.put(olga.userId, 'offsite.ics', meeting('offsite-1', 'olga@example.org', invited('hana@partner.example')));
    await eventually(async () => expect(scheduleStatusOf((await the.copyOf(olga.userId, 'offsite-1')).ical, 'hana@partner.example')).toBe('5.1'), 10_000);
    expect(await the.queued('hana@partner.example')).toEqual([expect.objectContaining({ state: 'not-configured', scheduleStatus: '5.1' })]);
  });
});
