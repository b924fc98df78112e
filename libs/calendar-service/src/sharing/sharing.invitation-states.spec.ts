import {
  CalendarFolderChanged,
  CalendarFoldersAdminShare,
  CalendarFoldersCreate,
  CalendarFoldersDelete,
  CalendarFoldersList,
  CalendarFoldersShare,
  CalendarFoldersUpdate,
  CalendarNotificationsChanges,
  CalendarNotificationsDelete,
  CalendarNotificationsGet,
  CalendarNotificationsList,
  CalendarObjectsGet,
  CalendarObjectsList,
  CalendarObjectsPut,
  CalendarSharingRespond,
  CalendarSharingShare,
  type CalendarFolder,
  type CalendarFolderChangedEvent,
  type InviteNotification,
  type InviteReplyNotification,
  type SharingNotification,
  type User,
} from '@davmesh/contracts';
import { describeCalendarWithDirectory, refusalOf as condition, type CalendarWithDirectory, type StorageServiceHarness } from '@davmesh/service-testing';
import { vcalendar, vevent, waitFor } from '@davmesh/testing';

/** anna owns calendars; bert, carl and a disabled zoe share her context; dave is of another. */
const PEOPLE = {
  anna: { contextId: 1, email: 'anna@example.org' },
  bert: { contextId: 1, email: 'bert@example.org' },
  carl: { contextId: 1, email: 'carl@example.org' },
  zoe: { contextId: 1, email: 'zoe@example.org', enabled: false },
  dave: { contextId: 2, email: 'dave@example.org' },
};

const event = (uid: string) => vcalendar(...vevent(uid, 'DTSTART:20260310T100000Z', 'DTEND:20260310T110000Z'));

/** The share states of calendarserver-sharing, on PGlite and on PostgreSQL alike. */
function invitationCases(fixture: CalendarWithDirectory<keyof typeof PEOPLE>): void {
  let harness: StorageServiceHarness;
  let ANNA: User, BERT: User, CARL: User, DAVE: User;

  beforeAll(() => {
    harness = fixture.harness;
    ({ anna: ANNA, bert: BERT, carl: CARL, dave: DAVE } = fixture.users);
  });

  const calendarOf = (userId: number, name: string) => harness.bus.call(CalendarFoldersCreate, { userId, collectionName: name, components: ['VEVENT'] });
  const visible = async (userId: number, folderId: number): Promise<CalendarFolder | undefined> =>
    (await harness.bus.call(CalendarFoldersList, { userId })).find((f) => f.folderId === folderId);
  const notifications = async (userId: number) => {
    const { notifications: listed } = await harness.bus.call(CalendarNotificationsList, { userId, limit: 1000 });
    if (listed.length === 0) return [];
    const { notifications: read } = await harness.bus.call(CalendarNotificationsGet, { userId, names: listed.map((n) => n.name) });
    return read;
  };
  const contentOf = async <T extends SharingNotification>(userId: number, name: string) => (await notifications(userId)).find((n) => n.name === name)?.content as T | undefined;
  const invite = (folderId: number, email: string, rights: 'read' | 'write', summary?: string) =>
    harness.bus.call(CalendarSharingShare, { userId: ANNA.userId, folderId, set: [{ sharee: { email }, rights, ...(summary ? { summary } : {}) }], remove: [] });
  const uninvite = (folderId: number, email: string) => harness.bus.call(CalendarSharingShare, { userId: ANNA.userId, folderId, set: [], remove: [{ sharee: { email } }] });
  const shareeOf = async (folderId: number, userId: number) => (await visible(ANNA.userId, folderId))?.sharees?.find((s) => s.userId === userId);

  it('invites: the sharee is told in their notification collection, the owner sees them invited, and nothing is granted yet', async () => {
    const calendar = await calendarOf(ANNA.userId, 'team');
    const announced = harness.events(CalendarFolderChanged.subject) as CalendarFolderChangedEvent[];
    expect(await invite(calendar.folderId, 'BERT@example.org', 'write', 'Team calendar')).toEqual({ applied: true, refused: [] });

    const sharee = await shareeOf(calendar.folderId, BERT.userId);
    expect(sharee).toMatchObject({ userId: BERT.userId, rights: 'write', status: 'invited', summary: 'Team calendar', direct: false });
    const [told] = await notifications(BERT.userId);
    expect(told.name).toBe(`${sharee!.inviteUid}.xml`);
    expect(told.content).toEqual({
      type: 'invite-notification',
      inviteUid: sharee!.inviteUid,
      sharee: { userId: BERT.userId, email: 'bert@example.org', displayName: BERT.displayName },
      owner: { userId: ANNA.userId, email: 'anna@example.org', displayName: ANNA.displayName },
      folderId: calendar.folderId,
      status: 'invited',
      rights: 'write',
      summary: 'Team calendar',
      components: ['VEVENT'],
    });
    expect(await visible(BERT.userId, calendar.folderId)).toBeUndefined();
    expect(condition(await harness.bus.request(CalendarObjectsList, { userId: BERT.userId, folderId: calendar.folderId, limit: 10 }))).toBe('not-found');
    await waitFor(() => announced.some((e) => e.folderId === calendar.folderId && e.ownerUserId === ANNA.userId));
  });

  it('accepts: the calendar is in the sharee\'s home with the rights granted, the owner gets the reply, and the same answer again changes nothing', async () => {
    const calendar = await calendarOf(ANNA.userId, 'accepted');
    await harness.bus.call(CalendarObjectsPut, { userId: ANNA.userId, folderId: calendar.folderId, name: 'a.ics', ical: event('a') });
    await invite(calendar.folderId, 'bert@example.org', 'write', 'Come in');
    const { inviteUid } = (await shareeOf(calendar.folderId, BERT.userId))!;

    expect(await harness.bus.call(CalendarSharingRespond, { userId: BERT.userId, inviteUid, accept: true, summary: 'Anna\'s team' })).toEqual({ folderId: calendar.folderId, status: 'accepted' });
    expect(await visible(BERT.userId, calendar.folderId)).toMatchObject({ rights: 'write', sharees: [{ userId: BERT.userId, status: 'accepted' }] });
    expect((await harness.bus.call(CalendarObjectsGet, { userId: BERT.userId, folderId: calendar.folderId, names: ['a.ics'] })).objects).toHaveLength(1);
    expect((await harness.bus.request(CalendarObjectsPut, { userId: BERT.userId, folderId: calendar.folderId, name: 'b.ics', ical: event('b') })).ok).toBe(true);
    const reply = await contentOf<InviteReplyNotification>(ANNA.userId, `${inviteUid}-reply.xml`);
    expect(reply).toMatchObject({ type: 'invite-reply', inviteUid, status: 'accepted', summary: 'Anna\'s team', folderId: calendar.folderId, sharee: { email: 'bert@example.org' } });

    const ownerRevision = (await harness.bus.call(CalendarNotificationsList, { userId: ANNA.userId, limit: 1 })).revision;
    await harness.bus.call(CalendarSharingRespond, { userId: BERT.userId, inviteUid, accept: true });
    expect((await harness.bus.call(CalendarNotificationsList, { userId: ANNA.userId, limit: 1 })).revision).toBe(ownerRevision);
  });

  it('changes the rights of an accepted share: the sharee is told and keeps it, now read-only', async () => {
    const calendar = await calendarOf(ANNA.userId, 'downgraded');
    await invite(calendar.folderId, 'bert@example.org', 'write');
    const { inviteUid } = (await shareeOf(calendar.folderId, BERT.userId))!;
    await harness.bus.call(CalendarSharingRespond, { userId: BERT.userId, inviteUid, accept: true });
    const before = (await notifications(BERT.userId)).find((n) => n.name === `${inviteUid}.xml`)!;

    await invite(calendar.folderId, 'bert@example.org', 'read');
    const after = (await notifications(BERT.userId)).find((n) => n.name === `${inviteUid}.xml`)!;
    expect(after.etag).not.toBe(before.etag);
    expect(after.content).toMatchObject({ status: 'accepted', rights: 'read' });
    expect(await visible(BERT.userId, calendar.folderId)).toMatchObject({ rights: 'read' });
    expect(condition(await harness.bus.request(CalendarObjectsPut, { userId: BERT.userId, folderId: calendar.folderId, name: 'x.ics', ical: event('x') }))).toBe('need-privileges');

    const unchanged = (await harness.bus.call(CalendarNotificationsList, { userId: BERT.userId, limit: 1 })).revision;
    await invite(calendar.folderId, 'bert@example.org', 'read');
    expect((await harness.bus.call(CalendarNotificationsList, { userId: BERT.userId, limit: 1 })).revision).toBe(unchanged);
  });

  it('declines by removing the calendar from the home: access ends, the owner is told, and a new invitation brings it back to invited', async () => {
    const calendar = await calendarOf(ANNA.userId, 'declined');
    await invite(calendar.folderId, 'bert@example.org', 'read');
    const { inviteUid } = (await shareeOf(calendar.folderId, BERT.userId))!;
    await harness.bus.call(CalendarSharingRespond, { userId: BERT.userId, inviteUid, accept: true });

    expect(await harness.bus.call(CalendarFoldersDelete, { userId: BERT.userId, folderId: calendar.folderId })).toEqual({ deleted: true });
    expect(await visible(BERT.userId, calendar.folderId)).toBeUndefined();
    expect(await visible(ANNA.userId, calendar.folderId)).toBeDefined();
    expect(await shareeOf(calendar.folderId, BERT.userId)).toMatchObject({ status: 'declined' });
    expect(await contentOf<InviteReplyNotification>(ANNA.userId, `${inviteUid}-reply.xml`)).toMatchObject({ status: 'declined' });
    expect(condition(await harness.bus.request(CalendarObjectsGet, { userId: BERT.userId, folderId: calendar.folderId, names: ['a.ics'] }))).toBe('not-found');

    await invite(calendar.folderId, 'bert@example.org', 'read');
    expect(await shareeOf(calendar.folderId, BERT.userId)).toMatchObject({ status: 'invited', inviteUid });
    expect(await contentOf<InviteNotification>(BERT.userId, `${inviteUid}.xml`)).toMatchObject({ status: 'invited' });
    expect(await harness.bus.call(CalendarSharingRespond, { userId: BERT.userId, inviteUid, accept: false })).toEqual({ folderId: calendar.folderId, status: 'declined' });
    expect(await visible(BERT.userId, calendar.folderId)).toBeUndefined();
  });

  it('takes shares back: an unanswered invitation is withdrawn from the collection, an accepted share told as deleted', async () => {
    const calendar = await calendarOf(ANNA.userId, 'withdrawn');
    await harness.bus.call(CalendarSharingShare, {
      userId: ANNA.userId,
      folderId: calendar.folderId,
      set: [{ sharee: { email: 'bert@example.org' }, rights: 'read' }, { sharee: { userId: CARL.userId }, rights: 'write' }],
      remove: [],
    });
    const bert = (await shareeOf(calendar.folderId, BERT.userId))!;
    const carl = (await shareeOf(calendar.folderId, CARL.userId))!;
    await harness.bus.call(CalendarSharingRespond, { userId: CARL.userId, inviteUid: carl.inviteUid, accept: true });
    const bertAt = (await harness.bus.call(CalendarNotificationsList, { userId: BERT.userId, limit: 1 })).revision;

    await uninvite(calendar.folderId, 'bert@example.org');
    await harness.bus.call(CalendarSharingShare, { userId: ANNA.userId, folderId: calendar.folderId, set: [], remove: [{ sharee: { userId: CARL.userId } }] });
    expect((await notifications(BERT.userId)).map((n) => n.name)).not.toContain(`${bert.inviteUid}.xml`);
    const changes = await harness.bus.call(CalendarNotificationsChanges, { userId: BERT.userId, sinceRevision: bertAt, limit: 100 });
    expect(changes).toMatchObject({ changed: [], removed: [`${bert.inviteUid}.xml`], truncated: false });
    expect(await contentOf<InviteNotification>(CARL.userId, `${carl.inviteUid}.xml`)).toMatchObject({ status: 'deleted', rights: 'write' });
    expect(await visible(CARL.userId, calendar.folderId)).toBeUndefined();
    expect((await visible(ANNA.userId, calendar.folderId))?.sharees).toBeUndefined();
    expect(await uninvite(calendar.folderId, 'nobody@example.org')).toEqual({ applied: true, refused: [] });
  });

  it('refuses the whole request when one sharee is nobody of the context, disabled, of another context or the owner; changes nothing', async () => {
    const calendar = await calendarOf(ANNA.userId, 'refused');
    const bertAt = (await harness.bus.call(CalendarNotificationsList, { userId: BERT.userId, limit: 1 })).revision;
    const outcome = await harness.bus.call(CalendarSharingShare, {
      userId: ANNA.userId,
      folderId: calendar.folderId,
      set: [
        { sharee: { email: 'bert@example.org' }, rights: 'read' },
        { sharee: { email: 'bogus@example.net' }, rights: 'read' },
        { sharee: { email: 'zoe@example.org' }, rights: 'read' },
        { sharee: { email: 'dave@example.org' }, rights: 'read' },
        { sharee: { userId: DAVE.userId }, rights: 'read' },
        { sharee: { email: 'anna@example.org' }, rights: 'read' },
      ],
      remove: [],
    });
    expect(outcome).toEqual({
      applied: false,
      refused: [
        { index: 1, reason: 'no-such-user' },
        { index: 2, reason: 'no-such-user' },
        { index: 3, reason: 'no-such-user' },
        { index: 4, reason: 'no-such-user' },
        { index: 5, reason: 'owner' },
      ],
    });
    expect((await visible(ANNA.userId, calendar.folderId))?.sharees).toBeUndefined();
    expect((await harness.bus.call(CalendarNotificationsList, { userId: BERT.userId, limit: 1 })).revision).toBe(bertAt);
  });

  it('lets only the owner share, and each sharee answer only their own invitation', async () => {
    const calendar = await calendarOf(ANNA.userId, 'owned');
    await invite(calendar.folderId, 'bert@example.org', 'write');
    const { inviteUid } = (await shareeOf(calendar.folderId, BERT.userId))!;
    await harness.bus.call(CalendarSharingRespond, { userId: BERT.userId, inviteUid, accept: true });
    const reshare = { folderId: calendar.folderId, set: [{ sharee: { email: 'carl@example.org' }, rights: 'read' as const }], remove: [] };
    expect(condition(await harness.bus.request(CalendarSharingShare, { userId: BERT.userId, ...reshare }))).toBe('need-privileges');
    expect(condition(await harness.bus.request(CalendarSharingShare, { userId: CARL.userId, ...reshare }))).toBe('not-found');
    expect(condition(await harness.bus.request(CalendarSharingShare, { userId: DAVE.userId, ...reshare }))).toBe('not-found');
    expect(condition(await harness.bus.request(CalendarSharingRespond, { userId: CARL.userId, inviteUid, accept: true }))).toBe('invalid-share');
    expect(condition(await harness.bus.request(CalendarSharingRespond, { userId: BERT.userId, inviteUid: 'no-such-invitation', accept: true }))).toBe('invalid-share');
    expect(await visible(CARL.userId, calendar.folderId)).toBeUndefined();
  });

  it('bounds the sharees of a request and of a calendar by davmesh.limits.shareesPerCalendar', async () => {
    const calendar = await calendarOf(ANNA.userId, 'bounded');
    const limits = { shareesPerCalendar: 1, notificationsPerUser: 500 };
    const two = [{ sharee: { email: 'bert@example.org' }, rights: 'read' as const }, { sharee: { email: 'carl@example.org' }, rights: 'read' as const }];
    expect(condition(await harness.bus.request(CalendarSharingShare, { userId: ANNA.userId, folderId: calendar.folderId, set: two, remove: [], limits }))).toBe('number-of-matches-within-limits');
    await harness.bus.call(CalendarSharingShare, { userId: ANNA.userId, folderId: calendar.folderId, set: [two[0]], remove: [], limits });
    expect(condition(await harness.bus.request(CalendarSharingShare, { userId: ANNA.userId, folderId: calendar.folderId, set: [two[1]], remove: [], limits }))).toBe('number-of-matches-within-limits');
    expect((await visible(ANNA.userId, calendar.folderId))?.sharees?.map((s) => s.userId)).toEqual([BERT.userId]);
  });

  it('keeps davmesh.limits.notificationsPerUser notifications, the oldest going first', async () => {
    const limits = { shareesPerCalendar: 100, notificationsPerUser: 10 };
    const names: string[] = [];
    for (let i = 0; i < 12; i++) {
      const calendar = await calendarOf(ANNA.userId, `many-${i}`);
      await harness.bus.call(CalendarSharingShare, { userId: ANNA.userId, folderId: calendar.folderId, set: [{ sharee: { email: 'carl@example.org' }, rights: 'read' }], remove: [], limits });
      names.push(`${(await shareeOf(calendar.folderId, CARL.userId))!.inviteUid}.xml`);
    }
    const kept = (await harness.bus.call(CalendarNotificationsList, { userId: CARL.userId, limit: 1000 })).notifications.map((n) => n.name);
    expect(kept).toHaveLength(10);
    expect(kept).not.toContain(names[0]);
    expect(kept).not.toContain(names[1]);
    expect(kept).toContain(names[11]);
  });

  it('grants directly (the operator, calendar.v1.folders.share): accepted at once, no notification, and the sharee can neither decline nor remove it', async () => {
    const calendar = await calendarOf(ANNA.userId, 'direct');
    const bertAt = (await harness.bus.call(CalendarNotificationsList, { userId: BERT.userId, limit: 1 })).revision;
    await harness.bus.call(CalendarFoldersShare, { userId: ANNA.userId, folderId: calendar.folderId, granteeUserId: BERT.userId, rights: 'read' });
    expect(await visible(BERT.userId, calendar.folderId)).toMatchObject({ rights: 'read', sharees: [{ status: 'accepted', direct: true }] });
    expect((await harness.bus.call(CalendarNotificationsList, { userId: BERT.userId, limit: 1 })).revision).toBe(bertAt);
    const { inviteUid } = (await shareeOf(calendar.folderId, BERT.userId))!;
    expect(condition(await harness.bus.request(CalendarSharingRespond, { userId: BERT.userId, inviteUid, accept: false }))).toBe('invalid-share');
    expect(condition(await harness.bus.request(CalendarFoldersDelete, { userId: BERT.userId, folderId: calendar.folderId }))).toBe('need-privileges');
    expect(await visible(BERT.userId, calendar.folderId)).toBeDefined();

    // The operator's grant answers an open invitation: it is withdrawn from the sharee's collection.
    await invite(calendar.folderId, 'carl@example.org', 'read');
    const carl = (await shareeOf(calendar.folderId, CARL.userId))!;
    await harness.bus.call(CalendarFoldersAdminShare, { contextId: 1, folderId: calendar.folderId, granteeUserId: CARL.userId, rights: 'write' });
    expect(await shareeOf(calendar.folderId, CARL.userId)).toMatchObject({ status: 'accepted', direct: true, rights: 'write', inviteUid: carl.inviteUid });
    expect((await notifications(CARL.userId)).map((n) => n.name)).not.toContain(`${carl.inviteUid}.xml`);
    await harness.bus.call(CalendarFoldersAdminShare, { contextId: 1, folderId: calendar.folderId, granteeUserId: CARL.userId, rights: 'none' });
    expect(await visible(CARL.userId, calendar.folderId)).toBeUndefined();
  });

  it('deletes a shared calendar: its invitations are withdrawn and its accepted sharees told', async () => {
    const calendar = await calendarOf(ANNA.userId, 'deleted');
    await harness.bus.call(CalendarSharingShare, {
      userId: ANNA.userId,
      folderId: calendar.folderId,
      set: [{ sharee: { email: 'bert@example.org' }, rights: 'read' }, { sharee: { email: 'carl@example.org' }, rights: 'read' }],
      remove: [],
    });
    const bert = (await shareeOf(calendar.folderId, BERT.userId))!;
    const carl = (await shareeOf(calendar.folderId, CARL.userId))!;
    await harness.bus.call(CalendarSharingRespond, { userId: CARL.userId, inviteUid: carl.inviteUid, accept: true });

    await harness.bus.call(CalendarFoldersDelete, { userId: ANNA.userId, folderId: calendar.folderId });
    expect((await notifications(BERT.userId)).map((n) => n.name)).not.toContain(`${bert.inviteUid}.xml`);
    expect(await contentOf<InviteNotification>(CARL.userId, `${carl.inviteUid}.xml`)).toMatchObject({ status: 'deleted' });
    expect(await visible(CARL.userId, calendar.folderId)).toBeUndefined();
    expect(condition(await harness.bus.request(CalendarSharingRespond, { userId: BERT.userId, inviteUid: bert.inviteUid, accept: true }))).toBe('invalid-share');
  });

  it('gives each sharee of an invitation their own name, description, colour and order, whatever their rights; the rest needs write', async () => {
    const calendar = await harness.bus.call(CalendarFoldersCreate, { userId: ANNA.userId, collectionName: 'personal', components: ['VEVENT'], props: { displayName: 'Team', color: '#FF0000FF' } });
    await harness.bus.call(CalendarSharingShare, {
      userId: ANNA.userId,
      folderId: calendar.folderId,
      set: [{ sharee: { email: 'bert@example.org' }, rights: 'read' }, { sharee: { email: 'carl@example.org' }, rights: 'write' }],
      remove: [],
    });
    const bert = (await shareeOf(calendar.folderId, BERT.userId))!;
    const carl = (await shareeOf(calendar.folderId, CARL.userId))!;
    await harness.bus.call(CalendarSharingRespond, { userId: BERT.userId, inviteUid: bert.inviteUid, accept: true, summary: 'Anna\'s team' });
    await harness.bus.call(CalendarSharingRespond, { userId: CARL.userId, inviteUid: carl.inviteUid, accept: true });
    expect(await visible(BERT.userId, calendar.folderId)).toMatchObject({ displayName: 'Anna\'s team', color: '#FF0000FF' });

    const mine = await harness.bus.call(CalendarFoldersUpdate, { userId: BERT.userId, folderId: calendar.folderId, props: { displayName: 'Work (Anna)', color: '#00FF00FF', order: 3 } });
    expect(mine).toMatchObject({ displayName: 'Work (Anna)', color: '#00FF00FF', order: 3, rights: 'read', revision: calendar.revision });
    expect(await visible(ANNA.userId, calendar.folderId)).toMatchObject({ displayName: 'Team', color: '#FF0000FF', order: null });
    expect(await visible(CARL.userId, calendar.folderId)).toMatchObject({ displayName: 'Team', color: '#FF0000FF' });
    const zone = await harness.bus.request(CalendarFoldersUpdate, { userId: BERT.userId, folderId: calendar.folderId, props: { displayName: 'Mine', timezone: 'BEGIN:VCALENDAR' } });
    expect(condition(zone)).toBe('need-privileges');
    expect((await visible(BERT.userId, calendar.folderId))?.displayName).toBe('Work (Anna)');

    await harness.bus.call(CalendarFoldersUpdate, { userId: CARL.userId, folderId: calendar.folderId, props: { color: '#0000FFFF', description: 'Carl\'s view' }, setDead: [{ ns: 'urn:x', name: 'n', xml: '<x:n xmlns:x="urn:x">1</x:n>' }] });
    expect(await visible(CARL.userId, calendar.folderId)).toMatchObject({ color: '#0000FFFF', description: 'Carl\'s view', deadProperties: [{ ns: 'urn:x', name: 'n' }] });
    expect(await visible(ANNA.userId, calendar.folderId)).toMatchObject({ color: '#FF0000FF', description: null, deadProperties: [{ ns: 'urn:x', name: 'n' }] });

    // A direct share is the calendar's, as before: a read-only grantee changes nothing, a writer changes it for all.
    const direct = await calendarOf(ANNA.userId, 'personal-direct');
    await harness.bus.call(CalendarFoldersShare, { userId: ANNA.userId, folderId: direct.folderId, granteeUserId: BERT.userId, rights: 'read' });
    expect(condition(await harness.bus.request(CalendarFoldersUpdate, { userId: BERT.userId, folderId: direct.folderId, props: { displayName: 'Mine' } }))).toBe('need-privileges');
  });

  it('lets a user delete a notification (If-Match honoured) and sync their collection from a token', async () => {
    const calendar = await calendarOf(ANNA.userId, 'synced');
    const start = await harness.bus.call(CalendarNotificationsChanges, { userId: BERT.userId, limit: 1000 });
    await invite(calendar.folderId, 'bert@example.org', 'read');
    const { inviteUid } = (await shareeOf(calendar.folderId, BERT.userId))!;
    const name = `${inviteUid}.xml`;
    const added = await harness.bus.call(CalendarNotificationsChanges, { userId: BERT.userId, sinceRevision: start.revision, limit: 1000 });
    expect(added.changed.map((n) => n.name)).toEqual([name]);
    const { etag } = added.changed[0];

    expect(condition(await harness.bus.request(CalendarNotificationsDelete, { userId: BERT.userId, name, precondition: { ifMatch: ['n0'] } }))).toBe('precondition-failed');
    expect(condition(await harness.bus.request(CalendarNotificationsDelete, { userId: ANNA.userId, name }))).toBe('not-found');
    const deleted = await harness.bus.call(CalendarNotificationsDelete, { userId: BERT.userId, name, precondition: { ifMatch: [etag] } });
    expect(deleted.revision).toBeGreaterThan(added.revision);
    expect(await harness.bus.call(CalendarNotificationsChanges, { userId: BERT.userId, sinceRevision: added.revision, limit: 1000 })).toEqual({
      revision: deleted.revision,
      changed: [],
      removed: [name],
      truncated: false,
    });
    expect(condition(await harness.bus.request(CalendarNotificationsChanges, { userId: BERT.userId, sinceRevision: deleted.revision + 1, limit: 10 }))).toBe('valid-sync-token');
    expect((await harness.bus.call(CalendarNotificationsGet, { userId: BERT.userId, names: [name] })).missing).toEqual([name]);
  });
}

describeCalendarWithDirectory('calendarserver-sharing: invitations, answers and notifications', PEOPLE, invitationCases);
