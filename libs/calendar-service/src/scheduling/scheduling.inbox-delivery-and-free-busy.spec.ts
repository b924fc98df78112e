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
  type User,
} from '@davmesh/contracts';
import { describeCalendarWithDirectory, refusalOf as condition, type CalendarWithDirectory, type StorageServiceHarness } from '@davmesh/service-testing';
import { vcalendar, vevent, waitFor } from '@davmesh/testing';

const itip = (method: string, uid: string, ...props: string[]) => vcalendar(`METHOD:${method}`, ...vevent(uid, 'ORGANIZER:mailto:bert@example.org', 'ATTENDEE:mailto:anna@example.org', ...props));
const timed = (uid: string, start: string, end: string, ...props: string[]) => vcalendar(...vevent(uid, `DTSTART:${start}`, `DTEND:${end}`, ...props));

/** anna asks; bert and a disabled zoe share her context, dave is of another. */
const PEOPLE = {
  anna: { contextId: 1, email: 'anna@example.org' },
  bert: { contextId: 1, email: 'bert@example.org' },
  dave: { contextId: 2, email: 'dave@example.org' },
  zoe: { contextId: 1, email: 'zoe@example.org', enabled: false },
};

function inboxAndFreeBusyCases(fixture: CalendarWithDirectory<keyof typeof PEOPLE>): void {
  let harness: StorageServiceHarness;
  let calendar: CalendarFolder;
  let anna: User;
  let bert: User;
  let dave: User;

  beforeAll(async () => {
    ({ harness } = fixture);
    ({ anna, bert, dave } = fixture.users);
    calendar = await fixture.calendarOf(anna.userId);
  });

  const inboxOf = async (userId = anna.userId) => (await harness.bus.call(CalendarInboxOpen, { userId })).inbox;
  const names = async (folderId: number) => (await harness.bus.call(CalendarObjectsList, { userId: anna.userId, folderId, limit: 1000 })).objects.map((o) => o.name);

  it('makes each user one inbox on first use, never listed with the calendars, and names their first event calendar the default', async () => {
    const first = await harness.bus.call(CalendarInboxOpen, { userId: anna.userId });
    const again = await harness.bus.call(CalendarInboxOpen, { userId: anna.userId });
    expect(again.inbox.folderId).toBe(first.inbox.folderId);
    expect(first.inbox).toMatchObject({ ownerUserId: anna.userId, revision: 0, components: ['VEVENT', 'VTODO', 'VJOURNAL'] });
    expect(first.defaultCalendar).toEqual({ folderId: calendar.folderId, collectionName: calendar.collectionName });
    const listed = await harness.bus.call(CalendarFoldersList, { userId: anna.userId });
    expect(listed.map((f) => f.folderId)).not.toContain(first.inbox.folderId);
    expect((await inboxOf(bert.userId)).folderId).not.toBe(first.inbox.folderId);
  });

  it('delivers messages under new names, several of one UID, byte for byte, each raising the revision and announced', async () => {
    const inbox = await inboxOf();
    const request = itip('REQUEST', 'meeting-1', 'DTSTART:20260310T100000Z', 'DTEND:20260310T110000Z', 'SEQUENCE:0');
    const update = itip('REQUEST', 'meeting-1', 'DTSTART:20260310T120000Z', 'DTEND:20260310T130000Z', 'SEQUENCE:1');
    const one = await harness.bus.call(CalendarInboxDeliver, { userId: anna.userId, ical: request });
    const two = await harness.bus.call(CalendarInboxDeliver, { userId: anna.userId, ical: update });
    expect(one).toMatchObject({ folderId: inbox.folderId, revision: inbox.revision + 1 });
    expect(two.revision).toBe(inbox.revision + 2);
    expect(one.name).toMatch(/^[0-9a-f-]{36}\.ics$/);
    expect((await names(inbox.folderId)).sort()).toEqual([one.name, two.name].sort());
    const { objects } = await harness.bus.call(CalendarObjectsGet, { userId: anna.userId, folderId: inbox.folderId, names: [one.name] });
    expect(objects[0]).toMatchObject({ ical: request, etag: one.etag, component: 'VEVENT' });
    const changes = await harness.bus.call(CalendarSyncChanges, { userId: anna.userId, folderId: inbox.folderId, sinceRevision: inbox.revision + 1, limit: 100 });
    expect(changes).toMatchObject({ revision: two.revision, removed: [] });
    expect(changes.changed.map((c) => c.name)).toEqual([two.name]);
    const announced = harness.events(CalendarFolderChanged.subject) as CalendarFolderChangedEvent[];
    await harness.bus.call(CalendarInboxDeliver, { userId: anna.userId, ical: itip('CANCEL', 'meeting-1') });
    await waitFor(() => announced.some((e) => e.folderId === inbox.folderId && e.ownerUserId === anna.userId && e.revision === two.revision + 1));
  });

  it('refuses what is not an iTIP message and stores nothing', async () => {
    const before = (await inboxOf()).revision;
    const plain = await harness.bus.request(CalendarInboxDeliver, { userId: anna.userId, ical: timed('no-method', '20260310T100000Z', '20260310T110000Z') });
    const garbage = await harness.bus.request(CalendarInboxDeliver, { userId: anna.userId, ical: 'BEGIN:VCALENDAR\r\nnonsense' });
    expect([condition(plain), condition(garbage)]).toEqual(['valid-scheduling-message', 'valid-calendar-data']);
    expect((await inboxOf()).revision).toBe(before);
  });

  it('lets its owner delete a message, and nobody write, move into or out of, change, share or delete the inbox', async () => {
    const inbox = await inboxOf();
    const delivered = await harness.bus.call(CalendarInboxDeliver, { userId: anna.userId, ical: itip('REQUEST', 'doomed') });
    expect((await harness.bus.request(CalendarObjectsDelete, { userId: anna.userId, folderId: inbox.folderId, name: delivered.name })).ok).toBe(true);
    const removed = await harness.bus.call(CalendarSyncChanges, { userId: anna.userId, folderId: inbox.folderId, sinceRevision: delivered.revision, limit: 100 });
    expect(removed.removed).toEqual([delivered.name]);

    await harness.bus.call(CalendarObjectsPut, { userId: anna.userId, folderId: calendar.folderId, name: 'mine.ics', ical: timed('mine', '20260310T100000Z', '20260310T110000Z') });
    const [kept] = await names(inbox.folderId);
    const refusals = await Promise.all([
      harness.bus.request(CalendarObjectsPut, { userId: anna.userId, folderId: inbox.folderId, name: 'x.ics', ical: timed('x', '20260310T100000Z', '20260310T110000Z') }),
      harness.bus.request(CalendarObjectsMove, { userId: anna.userId, folderId: calendar.folderId, name: 'mine.ics', toFolderId: inbox.folderId, toName: 'mine.ics', overwrite: false }),
      harness.bus.request(CalendarObjectsMove, { userId: anna.userId, folderId: inbox.folderId, name: kept, toFolderId: calendar.folderId, toName: kept, overwrite: false }),
      harness.bus.request(CalendarFoldersUpdate, { userId: anna.userId, folderId: inbox.folderId, props: { displayName: 'Mail' } }),
      harness.bus.request(CalendarFoldersShare, { userId: anna.userId, folderId: inbox.folderId, granteeUserId: bert.userId, rights: 'read' }),
      harness.bus.request(CalendarFoldersDelete, { userId: anna.userId, folderId: inbox.folderId }),
    ]);
    expect(refusals.map(condition)).toEqual(Array(6).fill('need-privileges'));
    expect((await harness.bus.request(CalendarObjectsGet, { userId: bert.userId, folderId: inbox.folderId, names: [kept] })).ok).toBe(false);
    for (const name of ['inbox', 'outbox']) expect(condition(await harness.bus.request(CalendarFoldersCreate, { userId: anna.userId, collectionName: name }))).toBe('conflict');
  });

  it('takes another own event calendar as the default, refuses a task list or a calendar not hers, and falls back when it goes', async () => {
    const work = await harness.bus.call(CalendarFoldersCreate, { userId: anna.userId, collectionName: 'work', components: ['VEVENT'] });
    const chores = await harness.bus.call(CalendarFoldersCreate, { userId: anna.userId, collectionName: 'chores', components: ['VTODO'] });
    const berts = (await harness.bus.call(CalendarFoldersList, { userId: bert.userId })).find((f) => f.components.includes('VEVENT'))!;
    const set = await harness.bus.call(CalendarInboxUpdate, { userId: anna.userId, defaultCalendarId: work.folderId, setDead: [{ ns: 'urn:x', name: 'note', xml: '<x:note xmlns:x="urn:x">hi</x:note>' }] });
    expect(set.defaultCalendar).toEqual({ folderId: work.folderId, collectionName: 'work' });
    expect(set.inbox.deadProperties).toEqual([{ ns: 'urn:x', name: 'note', xml: '<x:note xmlns:x="urn:x">hi</x:note>' }]);
    for (const folderId of [chores.folderId, berts.folderId, set.inbox.folderId]) {
      const reply = await harness.bus.request(CalendarInboxUpdate, { userId: anna.userId, defaultCalendarId: folderId, removeDead: [{ ns: 'urn:x', name: 'note' }] });
      expect(condition(reply)).toBe('valid-schedule-default-calendar-URL');
    }
    expect((await harness.bus.call(CalendarInboxOpen, { userId: anna.userId })).inbox.deadProperties).toHaveLength(1);
    await harness.bus.call(CalendarFoldersDelete, { userId: anna.userId, folderId: work.folderId });
    expect((await harness.bus.call(CalendarInboxOpen, { userId: anna.userId })).defaultCalendar?.folderId).toBe(calendar.folderId);
  });

  it("answers free-busy of users of the requester's context over all their event calendars, opaque and not cancelled; nobody else", async () => {
    const bertCalendar = (await harness.bus.call(CalendarFoldersList, { userId: bert.userId })).find((f) => f.components.includes('VEVENT'))!;
    const second = await harness.bus.call(CalendarFoldersCreate, { userId: bert.userId, collectionName: 'second', components: ['VEVENT'] });
    const put = (folderId: number, name: string, ical: string) => harness.bus.call(CalendarObjectsPut, { userId: bert.userId, folderId, name, ical });
    await put(bertCalendar.folderId, 'busy.ics', timed('busy', '20260310T100000Z', '20260310T110000Z'));
    await put(bertCalendar.folderId, 'free.ics', timed('free', '20260310T120000Z', '20260310T130000Z', 'TRANSP:TRANSPARENT'));
    await put(bertCalendar.folderId, 'off.ics', timed('off', '20260310T140000Z', '20260310T150000Z', 'STATUS:CANCELLED'));
    await put(second.folderId, 'maybe.ics', timed('maybe', '20260310T160000Z', '20260310T170000Z', 'STATUS:TENTATIVE'));
    await put(second.folderId, 'overlap.ics', timed('overlap', '20260310T103000Z', '20260310T113000Z'));
    const daveCalendar = await fixture.calendarOf(dave.userId);
    await harness.bus.call(CalendarObjectsPut, { userId: dave.userId, folderId: daveCalendar.folderId, name: 'secret.ics', ical: timed('secret', '20260310T100000Z', '20260310T110000Z') });

    const { answers } = await harness.bus.call(CalendarScheduleFreeBusy, {
      userId: anna.userId,
      start: '2026-03-10T00:00:00Z',
      end: '2026-03-11T00:00:00Z',
      recipients: [{ email: 'bert@example.org' }, { email: 'nobody@example.org' }, { email: 'dave@example.org' }, { userId: dave.userId }, { userId: bert.userId }, { email: 'zoe@example.org' }],
    });
    const bertBusy = [
      { start: '2026-03-10T10:00:00.000Z', end: '2026-03-10T11:30:00.000Z', type: 'BUSY' },
      { start: '2026-03-10T16:00:00.000Z', end: '2026-03-10T17:00:00.000Z', type: 'BUSY-TENTATIVE' },
    ];
    expect(answers).toEqual([
      { found: true, userId: bert.userId, busy: bertBusy },
      { found: false },
      { found: false },
      { found: false },
      { found: true, userId: bert.userId, busy: bertBusy },
      { found: false },
    ]);
  });
}

/** On PGlite and on PostgreSQL: the inbox is a folder kind a migration added. */
describeCalendarWithDirectory('schedule inbox and free-busy between users', PEOPLE, inboxAndFreeBusyCases);
