import {
  ImipOutgoingList,
  CalendarFolderChanged,
  CalendarFoldersCreate,
  CalendarObjectsDelete,
  CalendarObjectsMove,
  CalendarObjectsPut,
  type CalendarFolderChangedEvent,
  type CalendarObjectPut,
} from '@davmesh/contracts';
import { describeCalendarWithDirectory, refusalOf as condition, type CalendarWithDirectory, type StorageServiceHarness } from '@davmesh/service-testing';
import { partstatOf, scheduleStatusOf, unfoldedLines, vcalendar, vevent, waitFor, withPartstat } from '@davmesh/testing';

/** Olga organises; bert, cleo, ivy and a disabled zoe are of her context; dave is a user of another context. */
const PEOPLE = {
  olga: { contextId: 1, email: 'olga@example.org' },
  bert: { contextId: 1, email: 'bert@example.org' },
  cleo: { contextId: 1, email: 'cleo@example.org' },
  zoe: { contextId: 1, email: 'zoe@example.org', enabled: false },
  dave: { contextId: 2, email: 'dave@example.org' },
  ivy: { contextId: 1, email: 'ivy@example.org' },
};

const organizer = 'ORGANIZER;CN=Olga:mailto:olga@example.org';
const attendee = (who: string, ...params: string[]) => `ATTENDEE;${['CN=' + who, ...params].join(';')}:mailto:${who}@example.org`;
const meeting = (uid: string, ...lines: string[]) => vcalendar(...vevent(uid, 'SUMMARY:Planning', 'DTSTART:20300310T100000Z', 'DTEND:20300310T110000Z', organizer, ...lines));

const at = (who: string) => `${who}@example.org`;
const partstat = (ical: string, who: string, recurrenceId?: string) => partstatOf(ical, at(who), recurrenceId);
const scheduleStatus = (ical: string, who: string) => scheduleStatusOf(ical, at(who));
const answered = (ical: string, who: string, value: string, nth?: number) => withPartstat(ical, at(who), value, nth);

function schedulingCases(fixture: CalendarWithDirectory<keyof typeof PEOPLE>): void {
  let harness: StorageServiceHarness;
  let users: typeof fixture.users;
  const { calendarOf, copiesOf, copyOf, inboxOf, methods } = fixture;

  beforeAll(() => {
    ({ harness, users } = fixture);
  });

  const put = async (userId: number, name: string, ical: string, extra: Partial<CalendarObjectPut> = {}) =>
    harness.bus.request(CalendarObjectsPut, { userId, folderId: (await calendarOf(userId)).folderId, name, ical, ...extra });
  const organize = async (name: string, ical: string) => {
    const reply = await put(users.olga.userId, name, ical);
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
    return reply.data;
  };

  it('invites two colleagues: their copies land in their default calendars, NEEDS-ACTION, with a REQUEST in their inboxes, each announced', async () => {
    const announced = harness.events(CalendarFolderChanged.subject) as CalendarFolderChangedEvent[];
    const body = meeting('invite-1', attendee('olga', 'PARTSTAT=ACCEPTED'), attendee('bert', 'RSVP=TRUE'), attendee('cleo', 'RSVP=TRUE'));
    const stored = await organize('invite-1.ics', body);
    // Stored with each delivery's SCHEDULE-STATUS: not the body, so no ETag in the answer (RFC 4791 5.3.4).
    expect(stored).toMatchObject({ created: true, asSent: false });
    expect(stored.scheduleTag).toMatch(/^[\w-]+$/);
    const own = await copyOf(users.olga.userId, 'invite-1');
    expect(own).toMatchObject({ etag: stored.etag, scheduleTag: stored.scheduleTag });
    expect([scheduleStatus(own.ical, 'bert'), scheduleStatus(own.ical, 'cleo'), partstat(own.ical, 'olga')]).toEqual(['1.2', '1.2', 'ACCEPTED']);
    for (const who of [users.bert, users.cleo]) {
      const copy = await copyOf(who.userId, 'invite-1');
      expect(copy.folderId).toBe((await calendarOf(who.userId)).folderId);
      expect(copy.name).toBe('invite-1.ics');
      expect(partstat(copy.ical, who.login)).toBe('NEEDS-ACTION');
      expect(copy.ical).toContain('SUMMARY:Planning');
      expect(copy.scheduleTag).toMatch(/^[\w-]+$/);
      expect(await methods(who.userId, 'invite-1')).toEqual(['REQUEST']);
      const folderId = copy.folderId;
      await waitFor(() => announced.some((e) => e.folderId === folderId && e.ownerUserId === who.userId));
    }
  });

  it("applies an attendee's acceptance to the organizer's copy (PARTSTAT, SCHEDULE-STATUS) without changing its Schedule-Tag, and tells the organizer's inbox", async () => {
    await organize('accept-1.ics', meeting('accept-1', attendee('bert'), attendee('cleo')));
    const before = await copyOf(users.olga.userId, 'accept-1');
    const bert = await copyOf(users.bert.userId, 'accept-1');
    const accepted = answered(bert.ical, 'bert', 'ACCEPTED');
    expect(partstat(accepted, 'bert')).toBe('ACCEPTED');
    const reply = await put(users.bert.userId, bert.name, accepted, { ifScheduleTagMatch: bert.scheduleTag });
    expect(reply.ok).toBe(true);
    const after = await copyOf(users.olga.userId, 'accept-1');
    expect([partstat(after.ical, 'bert'), scheduleStatus(after.ical, 'bert'), partstat(after.ical, 'cleo')]).toEqual(['ACCEPTED', '2.0', 'NEEDS-ACTION']);
    expect(after.etag).not.toBe(before.etag);
    expect(after.scheduleTag).toBe(before.scheduleTag);
    expect(await methods(users.olga.userId, 'accept-1')).toEqual(['REPLY']);
    // The attendee's copy says the reply was delivered.
    expect(scheduleStatusOf((await copyOf(users.bert.userId, 'accept-1')).ical, at('olga'), 'ORGANIZER')).toBe('1.2');
    // Cleo was not told of bert's answer by a message (refreshing the others is left, docs/scheduling.md).
    expect(await methods(users.cleo.userId, 'accept-1')).toEqual(['REQUEST']);
  });

  it('sets every attendee back to NEEDS-ACTION on a reschedule, and keeps their answer on a description change', async () => {
    await organize('move-1.ics', meeting('move-1', attendee('bert')));
    const accept = async () => {
      const copy = await copyOf(users.bert.userId, 'move-1');
      expect((await put(users.bert.userId, copy.name, answered(copy.ical, 'bert', 'ACCEPTED'))).ok).toBe(true);
    };
    await accept();
    const accepted = await copyOf(users.olga.userId, 'move-1');
    expect(partstat(accepted.ical, 'bert')).toBe('ACCEPTED');
    const bertTag = (await copyOf(users.bert.userId, 'move-1')).scheduleTag;

    // The organizer's client writes back what it read, the time moved.
    await organize('move-1.ics', accepted.ical.replace('DTSTART:20300310T100000Z', 'DTSTART:20300311T100000Z').replace('DTEND:20300310T110000Z', 'DTEND:20300311T110000Z'));
    const moved = await copyOf(users.bert.userId, 'move-1');
    expect(moved.ical).toContain('DTSTART:20300311T100000Z');
    expect(partstat(moved.ical, 'bert')).toBe('NEEDS-ACTION');
    expect(moved.scheduleTag).not.toBe(bertTag);
    expect(partstat((await copyOf(users.olga.userId, 'move-1')).ical, 'bert')).toBe('NEEDS-ACTION');

    await accept();
    const again = await copyOf(users.olga.userId, 'move-1');
    await organize('move-1.ics', again.ical.replace('SUMMARY:Planning', 'SUMMARY:Planning\r\nDESCRIPTION:Bring the numbers'));
    const described = await copyOf(users.bert.userId, 'move-1');
    expect(described.ical).toContain('DESCRIPTION:Bring the numbers');
    expect(partstat(described.ical, 'bert')).toBe('ACCEPTED');
    expect(await methods(users.bert.userId, 'move-1')).toEqual(['REQUEST', 'REQUEST', 'REQUEST']);
  });

  it('cancels the copy of an attendee the organizer removes, and every copy when the organizer deletes the event', async () => {
    await organize('drop-1.ics', meeting('drop-1', attendee('bert'), attendee('cleo')));
    await organize('drop-1.ics', meeting('drop-1', attendee('bert')));
    const dropped = await copyOf(users.cleo.userId, 'drop-1');
    expect(dropped.ical).toContain('STATUS:CANCELLED');
    expect(await methods(users.cleo.userId, 'drop-1')).toEqual(['CANCEL', 'REQUEST']);
    expect((await copyOf(users.bert.userId, 'drop-1')).ical).not.toContain('STATUS:CANCELLED');

    const own = await copyOf(users.olga.userId, 'drop-1');
    expect((await harness.bus.request(CalendarObjectsDelete, { userId: users.olga.userId, folderId: own.folderId, name: own.name, ifScheduleTagMatch: own.scheduleTag })).ok).toBe(true);
    expect((await copyOf(users.bert.userId, 'drop-1')).ical).toContain('STATUS:CANCELLED');
    // The invitation, the update that told him cleo no longer comes, the cancellation.
    expect(await methods(users.bert.userId, 'drop-1')).toEqual(['CANCEL', 'REQUEST', 'REQUEST']);
    // Cleo was cancelled already: nothing more.
    expect(await methods(users.cleo.userId, 'drop-1')).toEqual(['CANCEL', 'REQUEST']);
  });

  it("declines for an attendee who deletes their copy, and sends nothing with Schedule-Reply: F", async () => {
    await organize('decline-1.ics', meeting('decline-1', attendee('bert'), attendee('cleo')));
    const bert = await copyOf(users.bert.userId, 'decline-1');
    expect((await harness.bus.request(CalendarObjectsDelete, { userId: users.bert.userId, folderId: bert.folderId, name: bert.name })).ok).toBe(true);
    expect(await copiesOf(users.bert.userId, 'decline-1')).toEqual([]);
    const own = await copyOf(users.olga.userId, 'decline-1');
    expect(partstat(own.ical, 'bert')).toBe('DECLINED');
    expect(await methods(users.olga.userId, 'decline-1')).toEqual(['REPLY']);

    const cleo = await copyOf(users.cleo.userId, 'decline-1');
    expect((await harness.bus.request(CalendarObjectsDelete, { userId: users.cleo.userId, folderId: cleo.folderId, name: cleo.name, scheduleReply: false })).ok).toBe(true);
    expect(await copiesOf(users.cleo.userId, 'decline-1')).toEqual([]);
    const unchanged = await copyOf(users.olga.userId, 'decline-1');
    expect([unchanged.etag, partstat(unchanged.ical, 'cleo')]).toEqual([own.etag, 'NEEDS-ACTION']);
    expect(await methods(users.olga.userId, 'decline-1')).toEqual(['REPLY']);
  });

  it('schedules a weekly meeting with one moved instance, and takes a decline of one instance', async () => {
    const weekly = vcalendar(
      ...vevent('weekly-1', 'SUMMARY:Weekly', 'DTSTART:20300304T090000Z', 'DTEND:20300304T093000Z', 'RRULE:FREQ=WEEKLY;COUNT=6', organizer, attendee('bert')),
      ...vevent('weekly-1', 'SUMMARY:Weekly', 'RECURRENCE-ID:20300311T090000Z', 'DTSTART:20300312T140000Z', 'DTEND:20300312T143000Z', organizer, attendee('bert')),
    );
    await organize('weekly-1.ics', weekly);
    const bert = await copyOf(users.bert.userId, 'weekly-1');
    expect(bert.ical).toContain('RRULE:FREQ=WEEKLY;COUNT=6');
    expect(bert.ical).toContain('DTSTART:20300312T140000Z');
    expect([partstat(bert.ical, 'bert'), partstat(bert.ical, 'bert', '20300311T090000Z')]).toEqual(['NEEDS-ACTION', 'NEEDS-ACTION']);

    // Bert accepts the series and declines the moved instance.
    const answer = answered(answered(bert.ical, 'bert', 'ACCEPTED', 0), 'bert', 'DECLINED', 1);
    expect([partstat(answer, 'bert'), partstat(answer, 'bert', '20300311T090000Z')]).toEqual(['ACCEPTED', 'DECLINED']);
    const reply = await put(users.bert.userId, bert.name, answer);
    expect(reply.ok).toBe(true);
    const own = await copyOf(users.olga.userId, 'weekly-1');
    expect([partstat(own.ical, 'bert'), partstat(own.ical, 'bert', '20300311T090000Z')]).toEqual(['ACCEPTED', 'DECLINED']);
    expect(own.ical).toContain('DTSTART:20300312T140000Z');
  });

  it('delivers nothing to an attendee with SCHEDULE-AGENT=CLIENT', async () => {
    const stored = await organize('client-1.ics', meeting('client-1', attendee('bert', 'SCHEDULE-AGENT=CLIENT'), attendee('cleo')));
    expect(await copiesOf(users.bert.userId, 'client-1')).toEqual([]);
    expect(await inboxOf(users.bert.userId, 'client-1')).toEqual([]);
    const own = await copyOf(users.olga.userId, 'client-1');
    expect([scheduleStatus(own.ical, 'bert'), scheduleStatus(own.ical, 'cleo')]).toEqual([undefined, '1.2']);
    expect(stored.scheduleTag).toBeDefined();
  });

  it("queues mail for the outside (another context's user, a stranger: 1.0, in the iMIP queue), answers 3.7 for an address no one can be reached at, 3.8 for a disabled colleague", async () => {
    await organize(
      'outside-1.ics',
      meeting('outside-1', attendee('dave'), 'ATTENDEE;CN=Stranger:mailto:stranger@elsewhere.example', 'ATTENDEE;CN=Nobody:urn:uuid:8d7a4d57-0000-4000-8000-000000000000', attendee('zoe'), attendee('bert')),
    );
    const own = await copyOf(users.olga.userId, 'outside-1');
    // Queued (1.0), or already 5.1 if the queue's sender looked in between: no relay is configured here.
    expect(['1.0', '5.1']).toContain(scheduleStatus(own.ical, 'dave'));
    expect(['1.0', '5.1']).toContain(scheduleStatusOf(own.ical, 'stranger@elsewhere.example'));
    const { messages } = await harness.bus.call(ImipOutgoingList, { limit: 500 });
    expect(messages.filter((m) => m.method === 'REQUEST').map((m) => m.to)).toEqual(expect.arrayContaining([users.dave.email, 'stranger@elsewhere.example']));
    expect(unfoldedLines(own.ical).some((line) => /^ATTENDEE;.*SCHEDULE-STATUS=3\.7.*:urn:uuid:8d7a4d57/.test(line))).toBe(true);
    expect([scheduleStatus(own.ical, 'zoe'), scheduleStatus(own.ical, 'bert')]).toEqual(['3.8', '1.2']);
    expect(await copiesOf(users.dave.userId, 'outside-1')).toEqual([]);
    expect(await inboxOf(users.dave.userId, 'outside-1')).toEqual([]);
    expect(await copiesOf(users.zoe.userId, 'outside-1')).toEqual([]);
  });

  it("refuses an attendee's change the organizer owns with allowed-attendee-scheduling-object-change, storing and sending nothing", async () => {
    await organize('own-1.ics', meeting('own-1', attendee('bert')));
    const bert = await copyOf(users.bert.userId, 'own-1');
    const refused = await put(users.bert.userId, bert.name, answered(bert.ical.replace('SUMMARY:Planning', 'SUMMARY:My planning'), 'bert', 'ACCEPTED'));
    expect(condition(refused)).toBe('allowed-attendee-scheduling-object-change');
    expect((await copyOf(users.bert.userId, 'own-1')).etag).toBe(bert.etag);
    expect(await inboxOf(users.olga.userId, 'own-1')).toEqual([]);
    expect(partstat((await copyOf(users.olga.userId, 'own-1')).ical, 'bert')).toBe('NEEDS-ACTION');
  });

  it('decides If-Schedule-Tag-Match in the transaction, keeps one scheduling object per UID in a user\'s calendars, and bounds attendees per instance', async () => {
    const first = await organize('tag-1.ics', meeting('tag-1', attendee('bert')));
    const folderId = (await calendarOf(users.olga.userId)).folderId;
    const stale = await put(users.olga.userId, 'tag-1.ics', meeting('tag-1', attendee('bert'), attendee('cleo')), { ifScheduleTagMatch: 'not-the-tag' });
    expect(condition(stale)).toBe('precondition-failed');
    expect(await copiesOf(users.cleo.userId, 'tag-1')).toEqual([]);
    const fresh = await put(users.olga.userId, 'tag-1.ics', meeting('tag-1', attendee('bert'), attendee('cleo')), { ifScheduleTagMatch: first.scheduleTag });
    expect(fresh.ok && fresh.data.scheduleTag !== first.scheduleTag).toBe(true);
    expect(await copiesOf(users.cleo.userId, 'tag-1')).toHaveLength(1);
    // A plain event has no Schedule-Tag, so no If-Schedule-Tag-Match holds for it.
    const plain = await put(users.olga.userId, 'plain-1.ics', vcalendar(...vevent('plain-1', 'DTSTART:20300310T100000Z', 'DTEND:20300310T110000Z')));
    expect(plain.ok && plain.data.scheduleTag === undefined && plain.data.asSent).toBe(true);
    expect(condition(await put(users.olga.userId, 'plain-1.ics', vcalendar(...vevent('plain-1', 'DTSTART:20300310T120000Z', 'DTEND:20300310T130000Z')), { ifScheduleTagMatch: 'x' }))).toBe('precondition-failed');

    const second = await harness.bus.call(CalendarFoldersCreate, { userId: users.olga.userId, collectionName: 'work', components: ['VEVENT'] });
    const duplicate = await harness.bus.request(CalendarObjectsPut, { userId: users.olga.userId, folderId: second.folderId, name: 'tag-1.ics', ical: meeting('tag-1', attendee('bert')) });
    expect(condition(duplicate)).toBe('unique-scheduling-object-resource');
    expect(!duplicate.ok && duplicate.error.details).toMatchObject({ folderId, name: 'tag-1.ics' });

    const crowd = meeting('crowd-1', attendee('bert'), attendee('cleo'), attendee('ivy'));
    const limits = { maxInstances: 1000, recurrenceSteps: 100_000, parameterLength: 1024, propertyLength: 65_536, maxAttendeesPerInstance: 2 };
    expect(condition(await put(users.olga.userId, 'crowd-1.ics', crowd, { limits }))).toBe('max-attendees-per-instance');
    expect(await copiesOf(users.bert.userId, 'crowd-1')).toEqual([]);
  });

  it('stores both of two organizers inviting each other at the same moment (each locks the other\'s calendar: a deadlock is tried again)', async () => {
    const bertMeeting = (uid: string) =>
      vcalendar(...vevent(uid, 'SUMMARY:Return visit', 'DTSTART:20300312T100000Z', 'DTEND:20300312T110000Z', 'ORGANIZER:mailto:bert@example.org', attendee('olga'), attendee('cleo')));
    for (let round = 0; round < 3; round++) {
      const [fromOlga, fromBert] = await Promise.all([
        put(users.olga.userId, `crossed-o${round}.ics`, meeting(`crossed-o${round}`, attendee('bert'), attendee('cleo'))),
        put(users.bert.userId, `crossed-b${round}.ics`, bertMeeting(`crossed-b${round}`)),
      ]);
      expect([fromOlga.ok, fromBert.ok]).toEqual([true, true]);
      expect(await copiesOf(users.bert.userId, `crossed-o${round}`)).toHaveLength(1);
      expect(await copiesOf(users.olga.userId, `crossed-b${round}`)).toHaveLength(1);
    }
  });

  it('moves a scheduling object between its owner\'s calendars without sending anything, under a new Schedule-Tag', async () => {
    await organize('moved-1.ics', meeting('moved-1', attendee('bert')));
    const own = await copyOf(users.olga.userId, 'moved-1');
    const target = await harness.bus.call(CalendarFoldersCreate, { userId: users.olga.userId, collectionName: 'elsewhere', components: ['VEVENT'] });
    const moved = await harness.bus.call(CalendarObjectsMove, { userId: users.olga.userId, folderId: own.folderId, name: own.name, toFolderId: target.folderId, toName: 'moved-1.ics', overwrite: false });
    expect(moved).toMatchObject({ etag: own.etag, asSent: true, created: true });
    expect(moved.scheduleTag).not.toBe(own.scheduleTag);
    expect((await copyOf(users.olga.userId, 'moved-1')).folderId).toBe(target.folderId);
    expect(await methods(users.bert.userId, 'moved-1')).toEqual(['REQUEST']);
  });
}

describeCalendarWithDirectory('implicit scheduling between users of a context', PEOPLE, schedulingCases);
