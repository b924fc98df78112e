import { CalendarFoldersCreate, CalendarObjectsMove, CalendarObjectsPut } from '@davmesh/contracts';
import { describeCalendarWithDirectory, type CalendarWithDirectory } from '@davmesh/service-testing';
import { vcalendar, vevent } from '@davmesh/testing';

/** Olga writes one meeting where another of hers was: bert was invited to the one, cleo is to the other. */
const PEOPLE = {
  olga: { contextId: 1, email: 'olga@example.org' },
  bert: { contextId: 1, email: 'bert@example.org' },
  cleo: { contextId: 1, email: 'cleo@example.org' },
};

const meeting = (uid: string, ...attendees: string[]) =>
  vcalendar(
    ...vevent(uid, 'SUMMARY:Sync', 'DTSTART:20300601T100000Z', 'DTEND:20300601T110000Z', 'ORGANIZER:mailto:olga@example.org', ...attendees.map((who) => `ATTENDEE:mailto:${who}@example.org`)),
  );

function replacedCases(fixture: CalendarWithDirectory<keyof typeof PEOPLE>): void {
  const { copyOf, methods } = fixture;
  const put = async (folderId: number, name: string, ical: string) => {
    const reply = await fixture.harness.bus.request(CalendarObjectsPut, { userId: fixture.users.olga.userId, folderId, name, ical });
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  };

  it("cancels the meeting a PUT of another event (another UID) replaces, and invites to the new one", async () => {
    const { olga, bert, cleo } = fixture.users;
    const calendar = await fixture.calendarOf(olga.userId);
    await put(calendar.folderId, 'slot.ics', meeting('replaced-1', 'bert'));
    await put(calendar.folderId, 'slot.ics', meeting('replacing-1', 'cleo'));
    expect((await copyOf(bert.userId, 'replaced-1')).ical).toContain('STATUS:CANCELLED');
    expect(await methods(bert.userId, 'replaced-1')).toEqual(['CANCEL', 'REQUEST']);
    expect(await methods(cleo.userId, 'replacing-1')).toEqual(['REQUEST']);
  });

  it('cancels the meeting a MOVE with Overwrite replaces within its owner\'s calendars, and sends nothing for the one moved', async () => {
    const { olga, bert, cleo } = fixture.users;
    const calendar = await fixture.calendarOf(olga.userId);
    const other = await fixture.harness.bus.call(CalendarFoldersCreate, { userId: olga.userId, collectionName: 'other', components: ['VEVENT'] });
    await put(other.folderId, 'slot.ics', meeting('overwritten-1', 'bert'));
    await put(calendar.folderId, 'moving.ics', meeting('moving-1', 'cleo'));
    await fixture.harness.bus.call(CalendarObjectsMove, { userId: olga.userId, folderId: calendar.folderId, name: 'moving.ics', toFolderId: other.folderId, toName: 'slot.ics', overwrite: true });
    expect(await methods(bert.userId, 'overwritten-1')).toEqual(['CANCEL', 'REQUEST']);
    expect(await methods(cleo.userId, 'moving-1')).toEqual(['REQUEST']);
    expect((await copyOf(olga.userId, 'moving-1')).folderId).toBe(other.folderId);
  });
}

describeCalendarWithDirectory('implicit scheduling when another event takes a meeting\'s place', PEOPLE, replacedCases);
