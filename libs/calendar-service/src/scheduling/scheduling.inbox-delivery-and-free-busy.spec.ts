import {
  CalendarFolderChanged,
  CalendarFoldersCreate,
  CalendarFoldersDelete,
  CalendarFoldersList,
  CalendarFoldersShare,
  CalendarFoldersUpdate,
  CalendarInboxDeliver,
  CalendarInboxOpen,
  CalendarInboxUpdate,
  CalendarObjectsDelete,
  CalendarObjectsGet,
  CalendarObjectsList,
  CalendarObjectsMove,
  CalendarObjectsPut,
  CalendarScheduleFreeBusy,
  CalendarSyncChanges,
  type CalendarFolder,
  type CalendarFolderChangedEvent,
  type Reply,
} from '@davmesh/contracts';
import { describeOnEachStore, type HarnessStart, type StorageServiceHarness } from '@davmesh/service-testing';
import { vcalendar, vevent, waitFor } from '@davmesh/testing';
import { CalendarServiceModule } from '../calendar-service.module';
import { directoryUser, serveDirectory } from '../testing/directory-stub';

/** The directory as the calendar service asks it: anna asks; bert and a disabled zoe share her context, dave is of another. */
const ANNA = directoryUser(7, 1, 'anna@example.org');
const BERT = directoryUser(8, 1, 'bert@example.org');
const DAVE = directoryUser(9, 2, 'dave@example.org');
const ZOE = directoryUser(10, 1, 'zoe@example.org', false);
const DIRECTORY = [ANNA, BERT, DAVE, ZOE];

const itip = (method: string, uid: string, ...props: string[]) => vcalendar(`METHOD:${method}`, ...vevent(uid, 'ORGANIZER:mailto:bert@example.org', 'ATTENDEE:mailto:anna@example.org', ...props));
const timed = (uid: string, start: string, end: string, ...props: string[]) => vcalendar(...vevent(uid, `DTSTART:${start}`, `DTEND:${end}`, ...props));

function condition(reply: Reply<unknown>): string | undefined {
  return reply.ok ? undefined : ((reply.error.details?.['condition'] as string | undefined) ?? reply.error.code);
}

/** The same cases on PGlite and on PostgreSQL: the inbox is a folder kind a migration added. */
function inboxAndFreeBusyCases(start: HarnessStart): void {
  let harness: StorageServiceHarness;
  let close: () => Promise<void>;
  let calendar: CalendarFolder;

  beforeAll(async () => {
    ({ harness, close } = await start());
    serveDirectory(harness.broker, DIRECTORY);
    calendar = (await harness.bus.call(CalendarFoldersList, { userId: ANNA.userId })).find((f) => f.components.includes('VEVENT'))!;
  }, 60_000);

  afterAll(() => close());

  const inboxOf = async (userId = ANNA.userId) => (await harness.bus.call(CalendarInboxOpen, { userId })).inbox;
  const names = async (folderId: number) => (await harness.bus.call(CalendarObjectsList, { userId: ANNA.userId, folderId, limit: 1000 })).objects.map((o) => o.name);

  it('makes each user one inbox on first use, never listed with the calendars, and names their first event calendar the default', async () => {
    const first = await harness.bus.call(CalendarInboxOpen, { userId: ANNA.userId });
    const again = await harness.bus.call(CalendarInboxOpen, { userId: ANNA.userId });
    expect(again.inbox.folderId).toBe(first.inbox.folderId);
    expect(first.inbox).toMatchObject({ ownerUserId: ANNA.userId, revision: 0, components: ['VEVENT', 'VTODO', 'VJOURNAL'] });
    expect(first.defaultCalendar).toEqual({ folderId: calendar.folderId, collectionName: calendar.collectionName });
    const listed = await harness.bus.call(CalendarFoldersList, { userId: ANNA.userId });
    expect(listed.map((f) => f.folderId)).not.toContain(first.inbox.folderId);
    expect((await inboxOf(BERT.userId)).folderId).not.toBe(first.inbox.folderId);
  });

  it('delivers messages under new names, several of one UID, byte for byte, each raising the revision and announced', async () => {
    const inbox = await inboxOf();
    const request = itip('REQUEST', 'meeting-1', 'DTSTART:20260310T100000Z', 'DTEND:20260310T110000Z', 'SEQUENCE:0');
    const update = itip('REQUEST', 'meeting-1', 'DTSTART:20260310T120000Z', 'DTEND:20260310T130000Z', 'SEQUENCE:1');
    const one = await harness.bus.call(CalendarInboxDeliver, { userId: ANNA.userId, ical: request });
    const two = await harness.bus.call(CalendarInboxDeliver, { userId: ANNA.userId, ical: update });
    expect(one).toMatchObject({ folderId: inbox.folderId, revision: inbox.revision + 1 });
    expect(two.revision).toBe(inbox.revision + 2);
    expect(one.name).toMatch(/^[0-9a-f-]{36}\.ics$/);
    expect((await names(inbox.folderId)).sort()).toEqual([one.name, two.name].sort());
    const { objects } = await harness.bus.call(CalendarObjectsGet, { userId: ANNA.userId, folderId: inbox.folderId, names: [one.name] });
    expect(objects[0]).toMatchObject({ ical: request, etag: one.etag, component: 'VEVENT' });
    const changes = await harness.bus.call(CalendarSyncChanges, { userId: ANNA.userId, folderId: inbox.folderId, sinceRevision: inbox.revision + 1, limit: 100 });
    expect(changes).toMatchObject({ revision: two.revision, removed: [] });
    expect(changes.changed.map((c) => c.name)).toEqual([two.name]);
    const announced = harness.events(CalendarFolderChanged.subject) as CalendarFolderChangedEvent[];
    await harness.bus.call(CalendarInboxDeliver, { userId: ANNA.userId, ical: itip('CANCEL', 'meeting-1') });
    await waitFor(() => announced.some((e) => e.folderId === inbox.folderId && e.ownerUserId === ANNA.userId && e.revision === two.revision + 1));
  });

  it('refuses what is not an iTIP message and stores nothing', async () => {
    const before = (await inboxOf()).revision;
    const plain = await harness.bus.request(CalendarInboxDeliver, { userId: ANNA.userId, ical: timed('no-method', '20260310T100000Z', '20260310T110000Z') });
    const garbage = await harness.bus.request(CalendarInboxDeliver, { userId: ANNA.userId, ical: 'BEGIN:VCALENDAR\r\nnonsense' });
    expect([condition(plain), condition(garbage)]).toEqual(['valid-scheduling-message', 'valid-calendar-data']);
    expect((await inboxOf()).revision).toBe(before);
  });

  it('lets its owner delete a message, and nobody write, move into or out of, change, share or delete the inbox', async () => {
    const inbox = await inboxOf();
    const delivered = await harness.bus.call(CalendarInboxDeliver, { userId: ANNA.userId, ical: itip('REQUEST', 'doomed') });
    expect((await harness.bus.request(CalendarObjectsDelete, { userId: ANNA.userId, folderId: inbox.folderId, name: delivered.name })).ok).toBe(true);
    const removed = await harness.bus.call(CalendarSyncChanges, { userId: ANNA.userId, folderId: inbox.folderId, sinceRevision: delivered.revision, limit: 100 });
    expect(removed.removed).toEqual([delivered.name]);

    await harness.bus.call(CalendarObjectsPut, { userId: ANNA.userId, folderId: calendar.folderId, name: 'mine.ics', ical: timed('mine', '20260310T100000Z', '20260310T110000Z') });
    const [kept] = await names(inbox.folderId);
    const refusals = await Promise.all([
      harness.bus.request(CalendarObjectsPut, { userId: ANNA.userId, folderId: inbox.folderId, name: 'x.ics', ical: timed('x', '20260310T100000Z', '20260310T110000Z') }),
      harness.bus.request(CalendarObjectsMove, { userId: ANNA.userId, folderId: calendar.folderId, name: 'mine.ics', toFolderId: inbox.folderId, toName: 'mine.ics', overwrite: false }),
      harness.bus.request(CalendarObjectsMove, { userId: ANNA.userId, folderId: inbox.folderId, name: kept, toFolderId: calendar.folderId, toName: kept, overwrite: false }),
      harness.bus.request(CalendarFoldersUpdate, { userId: ANNA.userId, folderId: inbox.folderId, props: { displayName: 'Mail' } }),
      harness.bus.request(CalendarFoldersShare, { userId: ANNA.userId, folderId: inbox.folderId, granteeUserId: BERT.userId, rights: 'read' }),
      harness.bus.request(CalendarFoldersDelete, { userId: ANNA.userId, folderId: inbox.folderId }),
    ]);
    expect(refusals.map(condition)).toEqual(Array(6).fill('need-privileges'));
    expect((await harness.bus.request(CalendarObjectsGet, { userId: BERT.userId, folderId: inbox.folderId, names: [kept] })).ok).toBe(false);
    for (const name of ['inbox', 'outbox']) expect(condition(await harness.bus.request(CalendarFoldersCreate, { userId: ANNA.userId, collectionName: name }))).toBe('conflict');
  });

  it('takes another own event calendar as the default, refuses a task list or a calendar not hers, and falls back when it goes', async () => {
    const work = await harness.bus.call(CalendarFoldersCreate, { userId: ANNA.userId, collectionName: 'work', components: ['VEVENT'] });
    const chores = await harness.bus.call(CalendarFoldersCreate, { userId: ANNA.userId, collectionName: 'chores', components: ['VTODO'] });
    const berts = (await harness.bus.call(CalendarFoldersList, { userId: BERT.userId })).find((f) => f.components.includes('VEVENT'))!;
    const set = await harness.bus.call(CalendarInboxUpdate, { userId: ANNA.userId, defaultCalendarId: work.folderId, setDead: [{ ns: 'urn:x', name: 'note', xml: '<x:note xmlns:x="urn:x">hi</x:note>' }] });
    expect(set.defaultCalendar).toEqual({ folderId: work.folderId, collectionName: 'work' });
    expect(set.inbox.deadProperties).toEqual([{ ns: 'urn:x', name: 'note', xml: '<x:note xmlns:x="urn:x">hi</x:note>' }]);
    for (const folderId of [chores.folderId, berts.folderId, set.inbox.folderId]) {
      const reply = await harness.bus.request(CalendarInboxUpdate, { userId: ANNA.userId, defaultCalendarId: folderId, removeDead: [{ ns: 'urn:x', name: 'note' }] });
      expect(condition(reply)).toBe('valid-schedule-default-calendar-URL');
    }
    expect((await harness.bus.call(CalendarInboxOpen, { userId: ANNA.userId })).inbox.deadProperties).toHaveLength(1);
    await harness.bus.call(CalendarFoldersDelete, { userId: ANNA.userId, folderId: work.folderId });
    expect((await harness.bus.call(CalendarInboxOpen, { userId: ANNA.userId })).defaultCalendar?.folderId).toBe(calendar.folderId);
  });

  it("answers free-busy of users of the requester's context over all their event calendars, opaque and not cancelled; nobody else", async () => {
    const bertCalendar = (await harness.bus.call(CalendarFoldersList, { userId: BERT.userId })).find((f) => f.components.includes('VEVENT'))!;
    const second = await harness.bus.call(CalendarFoldersCreate, { userId: BERT.userId, collectionName: 'second', components: ['VEVENT'] });
    const put = (folderId: number, name: string, ical: string) => harness.bus.call(CalendarObjectsPut, { userId: BERT.userId, folderId, name, ical });
    await put(bertCalendar.folderId, 'busy.ics', timed('busy', '20260310T100000Z', '20260310T110000Z'));
    await put(bertCalendar.folderId, 'free.ics', timed('free', '20260310T120000Z', '20260310T130000Z', 'TRANSP:TRANSPARENT'));
    await put(bertCalendar.folderId, 'off.ics', timed('off', '20260310T140000Z', '20260310T150000Z', 'STATUS:CANCELLED'));
    await put(second.folderId, 'maybe.ics', timed('maybe', '20260310T160000Z', '20260310T170000Z', 'STATUS:TENTATIVE'));
    await put(second.folderId, 'overlap.ics', timed('overlap', '20260310T103000Z', '20260310T113000Z'));
    const dave = (await harness.bus.call(CalendarFoldersList, { userId: DAVE.userId })).find((f) => f.components.includes('VEVENT'))!;
    await harness.bus.call(CalendarObjectsPut, { userId: DAVE.userId, folderId: dave.folderId, name: 'secret.ics', ical: timed('secret', '20260310T100000Z', '20260310T110000Z') });

    const { answers } = await harness.bus.call(CalendarScheduleFreeBusy, {
      userId: ANNA.userId,
      start: '2026-03-10T00:00:00Z',
      end: '2026-03-11T00:00:00Z',
      recipients: [{ email: 'BERT@example.org' }, { email: 'nobody@example.org' }, { email: 'dave@example.org' }, { userId: DAVE.userId }, { userId: BERT.userId }, { email: 'zoe@example.org' }],
    });
    const bertBusy = [
      { start: '2026-03-10T10:00:00.000Z', end: '2026-03-10T11:30:00.000Z', type: 'BUSY' },
      { start: '2026-03-10T16:00:00.000Z', end: '2026-03-10T17:00:00.000Z', type: 'BUSY-TENTATIVE' },
    ];
    expect(answers).toEqual([
      { found: true, userId: BERT.userId, busy: bertBusy },
      { found: false },
      { found: false },
      { found: false },
      { found: true, userId: BERT.userId, busy: bertBusy },
      { found: false },
    ]);
  });
}

describeOnEachStore('schedule inbox and free-busy between users', 'calendar', (storage) => CalendarServiceModule.register(storage), inboxAndFreeBusyCases);
