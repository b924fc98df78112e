import { CalendarFoldersCreate, CalendarFoldersDelete, CalendarFoldersList, CalendarFoldersShare, CalendarObjectsMove, CalendarObjectsPut, ImipOutgoingList, type CalendarLimits } from '@davmesh/contracts';
import { describeCalendarWithDirectory, refusalOf, type CalendarWithDirectory } from '@davmesh/service-testing';
import { partstatOf, scheduleStatusOf, vcalendar, vevent } from '@davmesh/testing';

/** Olga deletes a calendar that holds meetings she organizes and invitations she got from bert; cleo is invited too. */
const PEOPLE = {
  olga: { contextId: 1, email: 'olga@example.org' },
  bert: { contextId: 1, email: 'bert@example.org' },
  cleo: { contextId: 1, email: 'cleo@example.org' },
};

const LIMITS: CalendarLimits = { maxInstances: 20_000, recurrenceSteps: 2_000_000, parameterLength: 1024, propertyLength: 65_536 };
const at = (who: string) => (who.includes('@') ? who : `${who}@example.org`);
const meeting = (uid: string, organizer: string, ...attendees: string[]) =>
  vcalendar(
    ...vevent(uid, 'SUMMARY:Team', 'DTSTART:20300501T100000Z', 'DTEND:20300501T110000Z', `ORGANIZER:mailto:${at(organizer)}`, ...[organizer, ...attendees].map((who) => `ATTENDEE;RSVP=TRUE:mailto:${at(who)}`)),
  );

function calendarDeletedCases(fixture: CalendarWithDirectory<keyof typeof PEOPLE>): void {
  const { copyOf, copiesOf, methods } = fixture;
  const bus = () => fixture.harness.bus;
  const newCalendar = (userId: number, collectionName: string) => bus().call(CalendarFoldersCreate, { userId, collectionName, components: ['VEVENT'] });
  const put = async (userId: number, folderId: number, uid: string, ical: string) => {
    const reply = await bus().request(CalendarObjectsPut, { userId, folderId, name: `${uid}.ics`, ical });
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  };
  const calendarsOf = async (userId: number) => (await bus().call(CalendarFoldersList, { userId })).map((f) => f.folderId);

  it("cancels the meetings its owner organizes in it (colleagues' copies and inboxes, mail outside) and declines the invitations in it, in the deleting transaction", async () => {
    const { olga, bert, cleo } = fixture.users;
    const work = await newCalendar(olga.userId, 'work-1');
    await put(olga.userId, work.folderId, 'del-organized', meeting('del-organized', 'olga', 'bert', 'cleo', 'partner@elsewhere.example'));
    await put(olga.userId, work.folderId, 'del-plain', vcalendar(...vevent('del-plain', 'DTSTART:20300501T120000Z', 'DTEND:20300501T130000Z')));
    // Bert invites olga; her copy lands in her default calendar, and she moves it into "work" if it is not there.
    const bertsCalendar = await fixture.calendarOf(bert.userId);
    await put(bert.userId, bertsCalendar.folderId, 'del-invited', meeting('del-invited', 'bert', 'olga', 'cleo'));
    const invitation = await copyOf(olga.userId, 'del-invited');
    if (invitation.folderId !== work.folderId) await bus().call(CalendarObjectsMove, { userId: olga.userId, folderId: invitation.folderId, name: invitation.name, toFolderId: work.folderId, toName: invitation.name, overwrite: false });

    const deleted = await bus().request(CalendarFoldersDelete, { userId: olga.userId, folderId: work.folderId, limits: LIMITS });
    expect(deleted.ok).toBe(true);
    expect(await calendarsOf(olga.userId)).not.toContain(work.folderId);
    for (const user of [bert, cleo]) {
      expect((await copyOf(user.userId, 'del-organized')).ical).toContain('STATUS:CANCELLED');
      expect(await methods(user.userId, 'del-organized')).toEqual(['CANCEL', 'REQUEST']);
    }
    const mail = (await bus().call(ImipOutgoingList, { limit: 500 })).messages.filter((m) => m.to === 'partner@elsewhere.example');
    expect(mail.map((m) => m.method).sort()).toEqual(['CANCEL', 'REQUEST']);
    const bertsCopy = await copyOf(bert.userId, 'del-invited');
    expect([partstatOf(bertsCopy.ical, at('olga')), scheduleStatusOf(bertsCopy.ical, at('olga')), partstatOf(bertsCopy.ical, at('cleo'))]).toEqual(['DECLINED', '2.0', 'NEEDS-ACTION']);
    expect(await methods(bert.userId, 'del-invited')).toEqual(['REPLY']);
  });

  it('asks the directory once for a calendar whose meetings name many different people', async () => {
    const { olga } = fixture.users;
    const many = await newCalendar(olga.userId, 'many-1');
    for (let i = 0; i < 12; i++) await put(olga.userId, many.folderId, `del-many-${i}`, meeting(`del-many-${i}`, 'olga', `guest${i}@elsewhere.example`));
    expect(refusalOf(await bus().request(CalendarFoldersDelete, { userId: olga.userId, folderId: many.folderId, limits: LIMITS }))).toBeUndefined();
    const cancels = (await bus().call(ImipOutgoingList, { limit: 500 })).messages.filter((m) => m.method === 'CANCEL' && m.to.startsWith('guest'));
    expect(cancels).toHaveLength(12);
  });

  it('refuses a calendar with more meetings than the bound (max-scheduling-objects): nothing deleted, nothing sent; plain events do not count', async () => {
    const { olga, bert } = fixture.users;
    const full = await newCalendar(olga.userId, 'full-1');
    for (const uid of ['del-full-1', 'del-full-2', 'del-full-3']) await put(olga.userId, full.folderId, uid, meeting(uid, 'olga', 'bert'));
    for (const uid of ['del-full-plain-1', 'del-full-plain-2']) await put(olga.userId, full.folderId, uid, vcalendar(...vevent(uid, 'DTSTART:20300501T120000Z', 'DTEND:20300501T130000Z')));
    const refused = await bus().request(CalendarFoldersDelete, { userId: olga.userId, folderId: full.folderId, limits: { ...LIMITS, calendarDeleteMeetings: 2 } });
    expect(refusalOf(refused)).toBe('max-scheduling-objects');
    expect(await calendarsOf(olga.userId)).toContain(full.folderId);
    for (const uid of ['del-full-1', 'del-full-2', 'del-full-3']) {
      expect((await copyOf(bert.userId, uid)).ical).not.toContain('STATUS:CANCELLED');
      expect(await methods(bert.userId, uid)).toEqual(['REQUEST']);
    }
    expect(refusalOf(await bus().request(CalendarFoldersDelete, { userId: olga.userId, folderId: full.folderId, limits: { ...LIMITS, calendarDeleteMeetings: 3 } }))).toBeUndefined();
    expect(await methods(bert.userId, 'del-full-1')).toEqual(['CANCEL', 'REQUEST']);
  });

  it('lets no grantee delete a shared calendar, and sends nothing when they try', async () => {
    const { olga, bert } = fixture.users;
    const shared = await newCalendar(olga.userId, 'shared-1');
    await put(olga.userId, shared.folderId, 'del-shared', meeting('del-shared', 'olga', 'bert'));
    await bus().call(CalendarFoldersShare, { userId: olga.userId, folderId: shared.folderId, granteeUserId: bert.userId, rights: 'write' });
    expect(refusalOf(await bus().request(CalendarFoldersDelete, { userId: bert.userId, folderId: shared.folderId, limits: LIMITS }))).toBe('need-privileges');
    expect(await copiesOf(bert.userId, 'del-shared')).toHaveLength(1);
    expect(await methods(bert.userId, 'del-shared')).toEqual(['REQUEST']);
  });
}

describeCalendarWithDirectory('deleting a calendar cancels and declines the meetings in it', PEOPLE, calendarDeletedCases);
