import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CalendarFolderChanged, ContextsAdd, ImipReceive, UsersAdd, UsersSetEnabled, type CalendarFolderChangedEvent, type User } from '@davmesh/contracts';
import { calendarBusView, describeWithConfigOnEachStore, refusalOf as condition, type CalendarWithConfig, type StorageServiceHarness } from '@davmesh/service-testing';
import { partstatOf, scheduleStatusOf, vcalendar, vevent, waitFor, withPartstat } from '@davmesh/testing';

const OSCAR = 'oscar@partner.example';
const organizer = (address = OSCAR) => `ORGANIZER;CN=Oscar:mailto:${address}`;
const attendee = (address: string, partstat = 'NEEDS-ACTION') => `ATTENDEE;CN=${address.split('@')[0]};PARTSTAT=${partstat};RSVP=TRUE:mailto:${address}`;
/** An iTIP message as an outside calendar writes one. */
const itip = (method: string, uid: string, ...lines: string[]) => vcalendar(`METHOD:${method}`, ...vevent(uid, 'SUMMARY:Partner workshop', ...lines));
const request = (uid: string, sequence: number, start: string, ...lines: string[]) =>
  itip('REQUEST', uid, `SEQUENCE:${sequence}`, `DTSTART:${start}`, 'DURATION:PT2H', organizer(), attendee(OSCAR, 'ACCEPTED'), ...lines);

describeWithConfigOnEachStore('davmesh imip receive: messages from organizers and attendees outside the server', (start) => {
  let configDir: string;
  let services: CalendarWithConfig;
  let harness: StorageServiceHarness;
  let the: ReturnType<typeof calendarBusView>;
  let anna: User;
  let ben: User;
  let cora: User;
  let dan: User;
  const receive = (from: string, ical: string) => harness.bus.request(ImipReceive, { from, ical });
  /** Everything the users could see of a UID: their copies and inbox messages. */
  const traces = async (uid: string) => Promise.all([anna, ben, cora, dan].map(async (u) => [await the.copiesOf(u.userId, uid), await the.inboxOf(u.userId, uid)]));

  beforeAll(async () => {
    configDir = mkdtempSync(join(tmpdir(), 'davmesh-imip-receive-'));
    services = await start(configDir);
    harness = services.harness;
    the = calendarBusView(harness.bus);
    await harness.bus.call(ContextsAdd, { contextId: 41, name: 'example' });
    await harness.bus.call(ContextsAdd, { contextId: 42, name: 'other' });
    const user = (login: string, contextId: number, email: string) => harness.bus.call(UsersAdd, { login, password: `pw-${login}`, contextId, email, displayName: login });
    anna = await user('anna', 41, 'anna@example.org');
    ben = await user('ben', 41, 'ben@example.org');
    cora = await user('cora', 42, 'cora@other.example');
    dan = await user('dan', 41, 'dan@example.org');
    await harness.bus.call(UsersSetEnabled, { login: 'dan', enabled: false });
  }, 90_000);

  afterAll(async () => {
    await services?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it("delivers an outside organizer's REQUEST to every user it invites, of any context, as a colleague's would be: their default calendar (NEEDS-ACTION) and inbox", async () => {
    const announced = harness.events(CalendarFolderChanged.subject) as CalendarFolderChangedEvent[];
    const invitation = request('workshop-1', 0, '20300401T090000Z', attendee('anna@example.org'), attendee('cora@other.example'), attendee('dan@example.org'), attendee('pia@partner.example'));
    const received = await harness.bus.call(ImipReceive, { from: 'Oscar@Partner.example', ical: invitation });
    expect(received).toMatchObject({ method: 'REQUEST', uid: 'workshop-1' });
    // dan is disabled; pia is nobody here.
    expect(received.deliveries.map((d) => [d.userId, d.outcome])).toEqual([
      [anna.userId, 'applied'],
      [cora.userId, 'applied'],
    ]);
    for (const who of [anna, cora]) {
      const copy = await the.copyOf(who.userId, 'workshop-1');
      expect(copy.folderId).toBe((await the.calendarOf(who.userId)).folderId);
      expect(received.deliveries.find((d) => d.userId === who.userId)?.copy).toEqual({ folderId: copy.folderId, name: 'workshop-1.ics', etag: copy.etag });
      expect([partstatOf(copy.ical, who.email!), copy.ical.includes('SUMMARY:Partner workshop'), copy.scheduleTag]).toEqual(['NEEDS-ACTION', true, expect.any(String)]);
      expect((await the.inboxOf(who.userId, 'workshop-1')).map((m) => /METHOD:(\w+)/.exec(m)![1])).toEqual(['REQUEST']);
      await waitFor(() => announced.some((e) => e.folderId === copy.folderId && e.ownerUserId === who.userId));
    }
    expect(await the.copiesOf(dan.userId, 'workshop-1')).toEqual([]);

    // The same mail again (an MTA delivering twice): nothing stored.
    const before = await traces('workshop-1');
    expect((await harness.bus.call(ImipReceive, { from: OSCAR, ical: invitation })).deliveries.map((d) => d.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(await traces('workshop-1')).toEqual(before);
  });

  it("mails the user's answer back: accepting by PUT queues a REPLY to the outside organizer", async () => {
    const copy = await the.copyOf(anna.userId, 'workshop-1');
    await the.put(anna.userId, copy.name, withPartstat(copy.ical, 'anna@example.org', 'ACCEPTED'));
    const [reply] = await the.queued(OSCAR);
    expect(reply).toMatchObject({ method: 'REPLY', from: 'anna@example.org', reference: { ownerUserId: anna.userId, uid: 'workshop-1', recipient: `mailto:${OSCAR}` } });
    const answered = await the.copyOf(anna.userId, 'workshop-1');
    expect(partstatOf(answered.ical, 'anna@example.org')).toBe('ACCEPTED');
    // Queued (1.0), then 5.1: this server has no relay.
    expect(['1.0', '5.1']).toContain(scheduleStatusOf(answered.ical, OSCAR, 'ORGANIZER'));
  });

  it('applies an update (a new time resets the answer) and a CANCEL (the copy kept, cancelled), each into the inbox too', async () => {
    const moved = request('workshop-1', 1, '20300402T090000Z', attendee('anna@example.org'), attendee('cora@other.example'));
    expect((await harness.bus.call(ImipReceive, { from: OSCAR, ical: moved })).deliveries.map((d) => d.outcome)).toEqual(['applied', 'applied']);
    const rescheduled = await the.copyOf(anna.userId, 'workshop-1');
    expect([rescheduled.ical.includes('DTSTART:20300402T090000Z'), partstatOf(rescheduled.ical, 'anna@example.org')]).toEqual([true, 'NEEDS-ACTION']);

    const cancel = itip('CANCEL', 'workshop-1', 'SEQUENCE:2', 'DTSTART:20300402T090000Z', 'STATUS:CANCELLED', organizer(), attendee('anna@example.org'));
    const cancelled = await harness.bus.call(ImipReceive, { from: OSCAR, ical: cancel });
    expect(cancelled.deliveries.map((d) => [d.userId, d.outcome])).toEqual([[anna.userId, 'applied']]);
    const copy = await the.copyOf(anna.userId, 'workshop-1');
    expect(copy.ical).toContain('STATUS:CANCELLED');
    expect((await the.inboxOf(anna.userId, 'workshop-1')).map((m) => /METHOD:(\w+)/.exec(m)![1]).sort()).toEqual(['CANCEL', 'REQUEST', 'REQUEST']);
    // cora was not named by the CANCEL: her copy stands.
    expect((await the.copyOf(cora.userId, 'workshop-1')).ical).not.toContain('STATUS:CANCELLED');
  });

  it("applies an outside attendee's REPLY to the organizer's copy with libs/itip's applyReply: PARTSTAT, SCHEDULE-STATUS 2.0, the same Schedule-Tag", async () => {
    const meeting = vcalendar(...vevent('review-9', 'SUMMARY:Review', 'DTSTART:20300405T090000Z', 'DTEND:20300405T100000Z', 'SEQUENCE:0', 'ORGANIZER:mailto:ben@example.org', attendee('ben@example.org', 'ACCEPTED'), attendee('pia@partner.example')));
    const stored = await the.put(ben.userId, 'review-9.ics', meeting);
    const reply = (from: string, partstat: string) => itip('REPLY', 'review-9', 'SEQUENCE:0', 'ORGANIZER:mailto:ben@example.org', attendee(from, partstat));

    const received = await harness.bus.call(ImipReceive, { from: 'pia@partner.example', ical: reply('pia@partner.example', 'TENTATIVE') });
    expect(received.deliveries).toEqual([{ userId: ben.userId, outcome: 'applied', copy: { folderId: stored.folderId, name: 'review-9.ics', etag: expect.any(String) } }]);
    const copy = await the.copyOf(ben.userId, 'review-9');
    expect([partstatOf(copy.ical, 'pia@partner.example'), scheduleStatusOf(copy.ical, 'pia@partner.example'), copy.scheduleTag, copy.etag]).toEqual([
      'TENTATIVE',
      '2.0',
      stored.scheduleTag,
      received.deliveries[0].copy!.etag,
    ]);
    expect((await the.inboxOf(ben.userId, 'review-9')).map((m) => /METHOD:(\w+)/.exec(m)![1])).toEqual(['REPLY']);

    expect(condition(await receive('eve@elsewhere.example', reply('eve@elsewhere.example', 'ACCEPTED')))).toBe('not-an-attendee');
    expect(condition(await receive('eve@elsewhere.example', reply('pia@partner.example', 'DECLINED')))).toBe('sender-mismatch');
    expect(condition(await receive('pia@partner.example', reply('pia@partner.example', 'DECLINED').replace('UID:review-9', 'UID:no-such-event')))).toBe('unknown-event');
    expect(condition(await receive('pia@partner.example', reply('pia@partner.example', 'DECLINED').replace(/ben@example\.org/g, 'ghost@example.org')))).toBe('unknown-organizer');
    expect(await the.copyOf(ben.userId, 'review-9')).toEqual(copy);
  });

  it("applies a REPLY to a meeting whose copy names its organizer by their principal URL, as the mail named them by mailto:", async () => {
    const principal = `/dav/principals/users/${ben.userId}/`;
    const meeting = vcalendar(...vevent('review-10', 'SUMMARY:Review', 'DTSTART:20300406T090000Z', 'DTEND:20300406T100000Z', 'SEQUENCE:0', `ORGANIZER:${principal}`, `ATTENDEE;PARTSTAT=ACCEPTED:${principal}`, attendee('pia@partner.example')));
    await the.put(ben.userId, 'review-10.ics', meeting);
    const reply = itip('REPLY', 'review-10', 'SEQUENCE:0', 'ORGANIZER:mailto:ben@example.org', attendee('pia@partner.example', 'ACCEPTED'));

    const received = await harness.bus.call(ImipReceive, { from: 'pia@partner.example', ical: reply });
    expect(received.deliveries.map((d) => [d.userId, d.outcome])).toEqual([[ben.userId, 'applied']]);
    const copy = await the.copyOf(ben.userId, 'review-10');
    expect([partstatOf(copy.ical, 'pia@partner.example'), scheduleStatusOf(copy.ical, 'pia@partner.example')]).toEqual(['ACCEPTED', '2.0']);
    expect(copy.ical).toContain(`ORGANIZER:${principal}`);
    // Another user's principal URL is not ben's: that copy is no meeting of his.
    const dansMeeting = vcalendar(...vevent('review-11', 'SUMMARY:Review', 'DTSTART:20300407T090000Z', 'DTEND:20300407T100000Z', `ORGANIZER:/dav/principals/users/${dan.userId}/`, attendee('pia@partner.example')));
    await the.put(ben.userId, 'review-11.ics', dansMeeting);
    const stray = itip('REPLY', 'review-11', 'SEQUENCE:0', 'ORGANIZER:mailto:ben@example.org', attendee('pia@partner.example', 'ACCEPTED'));
    expect(condition(await receive('pia@partner.example', stray))).toBe('unknown-event');
  });

  it('refuses, storing nothing: a sender who is not the organizer, nobody invited here, a method it does not take, what is no iTIP message, an event another organizer holds', async () => {
    const invitation = request('workshop-2', 0, '20300410T090000Z', attendee('anna@example.org'));
    expect(condition(await receive('eve@elsewhere.example', invitation))).toBe('sender-mismatch');
    expect(condition(await receive(OSCAR, request('workshop-2', 0, '20300410T090000Z', attendee('pia@partner.example'))))).toBe('unknown-recipient');
    expect(condition(await receive(OSCAR, request('workshop-2', 0, '20300410T090000Z', attendee('dan@example.org'))))).toBe('unknown-recipient');
    expect(condition(await receive(OSCAR, invitation.replace('METHOD:REQUEST', 'METHOD:PUBLISH')))).toBe('unsupported-method');
    expect(condition(await receive(OSCAR, invitation.replace('METHOD:REQUEST', 'METHOD:COUNTER')))).toBe('unsupported-method');
    expect(condition(await receive(OSCAR, invitation.replace('METHOD:REQUEST\r\n', '')))).toBe('invalid-message');
    expect(condition(await receive(OSCAR, invitation.replace('DTSTART:20300410T090000Z', 'DTSTART:not-a-date')))).toBe('invalid-message');
    expect(condition(await receive(OSCAR, invitation.replace(/^ORGANIZER.*\r\n/m, '')))).toBe('invalid-message');
    expect(await traces('workshop-2')).toEqual([[[], []], [[], []], [[], []], [[], []]]);

    // ben organizes review-9: a REQUEST of that UID from outside is not his event's.
    const hijack = request('review-9', 5, '20300405T090000Z', attendee('ben@example.org'));
    const before = await the.copyOf(ben.userId, 'review-9');
    const refused = await receive(OSCAR, hijack);
    expect([refused.ok || refused.error.code, condition(refused)]).toEqual(['forbidden', 'valid-organizer']);
    expect(await the.copyOf(ben.userId, 'review-9')).toEqual(before);
    expect((await the.inboxOf(ben.userId, 'review-9')).length).toBe(1);
  });
});
