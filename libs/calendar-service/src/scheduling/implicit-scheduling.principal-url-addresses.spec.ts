import { CalendarObjectsDelete, CalendarObjectsPut } from '@davmesh/contracts';
import { describeCalendarWithDirectory, type CalendarWithDirectory } from '@davmesh/service-testing';
import { eventually, parameterOf, participantLine, partstatOf, scheduleStatusOf, startSmtpRelay, vcalendar, vevent, withPartstat, type TestSmtpRelay } from '@davmesh/testing';

/**
 * Olga writes herself and her colleagues as their principals (calendar-user-address-set lists the
 * principal URL besides mailto:), in the spellings clients use; dave is a user of another context.
 * Mail goes to a real SMTP relay in the test process.
 */
const PEOPLE = {
  olga: { contextId: 1, email: 'olga@example.org' },
  bert: { contextId: 1, email: 'bert@example.org' },
  cleo: { contextId: 1, email: 'cleo@example.org' },
  dave: { contextId: 2, email: 'dave@example.org' },
};
const STRANGER = 'stranger@elsewhere.example';

let relay: TestSmtpRelay;

beforeAll(async () => {
  relay = await startSmtpRelay();
});

afterAll(() => relay.close());

function principalCases(fixture: CalendarWithDirectory<keyof typeof PEOPLE>): void {
  const { copyOf, copiesOf, methods } = fixture;
  /** How each one is written: a path under /dav, an absolute URL of any host, a path without the prefix. */
  const as = () => ({
    olga: `/dav/principals/users/${fixture.users.olga.userId}/`,
    bert: `https://calendar.example.net/dav/principals/users/${fixture.users.bert.userId}/`,
    cleo: `/principals/users/${fixture.users.cleo.userId}`,
    dave: `/dav/principals/users/${fixture.users.dave.userId}/`,
    nobody: '/dav/principals/users/2147483000/',
  });
  const meeting = (uid: string) => {
    const who = as();
    return vcalendar(
      ...vevent(
        uid,
        'SUMMARY:Principals',
        'DTSTART:20300410T100000Z',
        'DTEND:20300410T110000Z',
        `ORGANIZER;CN=Olga:${who.olga}`,
        `ATTENDEE;CN=Olga;PARTSTAT=ACCEPTED:${who.olga}`,
        `ATTENDEE;CN=Bert;RSVP=TRUE:${who.bert}`,
        `ATTENDEE;CN=Cleo:${who.cleo}`,
        `ATTENDEE;CN=Dave:${who.dave}`,
        `ATTENDEE;CN=Nobody:${who.nobody}`,
        `ATTENDEE;CN=Stranger:mailto:${STRANGER}`,
      ),
    );
  };
  const write = async (userId: number, name: string, ical: string) => {
    const reply = await fixture.harness.bus.request(CalendarObjectsPut, { userId, folderId: (await fixture.calendarOf(userId)).folderId, name, ical });
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
    return reply.data;
  };
  const mailsFor = (uid: string, method: string) =>
    relay.mails.filter((mail) => mail.rcptTo.includes(STRANGER) && mail.raw.toString().includes(`UID:${uid}`) && mail.raw.toString().includes(`METHOD:${method}`));

  it('recognises the organizer by her principal and delivers to colleagues named by theirs, keeping the addresses as written', async () => {
    const { olga, bert, cleo } = fixture.users;
    const who = as();
    await write(olga.userId, 'p-invite.ics', meeting('p-invite'));
    const own = await copyOf(olga.userId, 'p-invite');
    expect([who.bert, who.cleo, who.dave, who.nobody, STRANGER].map((address) => scheduleStatusOf(own.ical, address))).toEqual(['1.2', '1.2', '3.7', '3.7', '1.0']);
    // Olga is not invited to her own meeting: nothing in her inbox.
    expect(await methods(olga.userId, 'p-invite')).toEqual([]);
    for (const [user, address] of [[bert, who.bert], [cleo, who.cleo]] as const) {
      const copy = await copyOf(user.userId, 'p-invite');
      expect(partstatOf(copy.ical, address)).toBe('NEEDS-ACTION');
      expect(participantLine(copy.ical, who.olga, undefined, 'ORGANIZER')).toBe(`ORGANIZER;CN=Olga:${who.olga}`);
      expect(await methods(user.userId, 'p-invite')).toEqual(['REQUEST']);
    }
    expect(await copiesOf(fixture.users.dave.userId, 'p-invite')).toEqual([]);
  });

  it("takes a colleague's answer on his principal's line as a reply to the organizer's principal", async () => {
    const { olga, bert } = fixture.users;
    const who = as();
    await write(olga.userId, 'p-reply.ics', meeting('p-reply'));
    const copy = await copyOf(bert.userId, 'p-reply');
    await write(bert.userId, copy.name, withPartstat(copy.ical, who.bert, 'ACCEPTED'));
    const own = await copyOf(olga.userId, 'p-reply');
    expect([partstatOf(own.ical, who.bert), scheduleStatusOf(own.ical, who.bert), partstatOf(own.ical, who.cleo)]).toEqual(['ACCEPTED', '2.0', 'NEEDS-ACTION']);
    expect(await methods(olga.userId, 'p-reply')).toEqual(['REPLY']);
    expect(scheduleStatusOf((await copyOf(bert.userId, 'p-reply')).ical, who.olga, 'ORGANIZER')).toBe('1.2');
  });

  it('cancels for colleagues named by their principals when the organizer deletes the meeting', async () => {
    const { olga, bert, cleo } = fixture.users;
    await write(olga.userId, 'p-cancel.ics', meeting('p-cancel'));
    const own = await copyOf(olga.userId, 'p-cancel');
    const deleted = await fixture.harness.bus.request(CalendarObjectsDelete, { userId: olga.userId, folderId: own.folderId, name: own.name });
    expect(deleted.ok).toBe(true);
    for (const user of [bert, cleo]) {
      expect((await copyOf(user.userId, 'p-cancel')).ical).toContain('STATUS:CANCELLED');
      expect(await methods(user.userId, 'p-cancel')).toEqual(['CANCEL', 'REQUEST']);
    }
  });

  it('mails the outside with everyone of the server named by their e-mail address, from the organizer', async () => {
    const who = as();
    await write(fixture.users.olga.userId, 'p-mail.ics', meeting('p-mail'));
    await eventually(() => expect(mailsFor('p-mail', 'REQUEST')).toHaveLength(1), 10_000);
    const [mail] = mailsFor('p-mail', 'REQUEST');
    expect(mail.parsed.from?.value[0].address).toBe('olga@example.org');
    const ical = mail.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'))?.content.toString() ?? mail.parsed.text ?? '';
    expect(parameterOf(participantLine(ical, 'olga@example.org', undefined, 'ORGANIZER'), 'CN')).toBe('Olga');
    for (const address of ['bert@example.org', 'cleo@example.org', STRANGER]) expect(participantLine(ical, address)).toBeDefined();
    // Not users of this context: written as the organizer wrote them.
    expect(participantLine(ical, who.dave)).toBeDefined();
    for (const address of [who.olga, who.bert, who.cleo]) expect(ical).not.toContain(`:${address}\r\n`);
  });
}

describeCalendarWithDirectory('implicit scheduling with principal URLs as calendar user addresses', PEOPLE, principalCases, {
  serverProperties: () => `davmesh.imip.smtp.url = ${relay.url}\n`,
});
