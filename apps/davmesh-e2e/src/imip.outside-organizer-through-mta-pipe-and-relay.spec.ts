import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextsAdd, UsersAdd, type User } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { type DAVCalendar, type DAVCalendarObject } from 'tsdav';
import { caldavClient, DAVX5_UA, eventually, imipMail, partstatOf, scheduleStatusOf, startSmtpRelay, vcalendar, vevent, withPartstat, type TestSmtpRelay } from '@davmesh/testing';
import { migratedDataDir } from './embedded-data-dir.fixture';
import { receiveMail } from './imip-receive.fixture';

const OSCAR = 'oscar@partner.example';
const MAX_PARTS = 8;
const MAX_BYTES = 65536;
/** A day two weeks from now at 09:00 UTC: inside the sync window a client sees. */
const START = `${new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '')}T090000Z`;

describe("iMIP end to end: an outside organizer's invitation through the MTA pipe, seen and answered over CalDAV, the answer and the relay's verdicts by mail", () => {
  let root: string;
  let node: RunningNode;
  let relay: TestSmtpRelay;
  let anna: User;
  let dataDir: string;

  const client = () => caldavClient(node.url!, anna.login, 'anna-pw', DAVX5_UA);
  const calendar = async (): Promise<DAVCalendar> => (await (await client()).fetchCalendars()).find((c) => c.displayName === 'Calendar')!;
  const objectOf = async (uid: string): Promise<DAVCalendarObject | undefined> =>
    (await (await client()).fetchCalendarObjects({ calendar: await calendar() })).find((o) => String(o.data).includes(`UID:${uid}\r\n`));
  const receive = (mail: Buffer) => receiveMail(dataDir, mail);
  const fromOscar = (method: string, ical: string, from = `Oscar <${OSCAR}>`) => imipMail({ from, to: anna.email!, subject: 'Partner workshop', method, ical });
  const workshop = (method: string, sequence: number, ...lines: string[]) =>
    vcalendar(
      `METHOD:${method}`,
      ...vevent('workshop-e2e', 'SUMMARY:Partner workshop', `SEQUENCE:${sequence}`, `DTSTART:${START}`, 'DURATION:PT2H', `ORGANIZER;CN=Oscar:mailto:${OSCAR}`, ...lines),
    );
  const invitee = `ATTENDEE;CN=Anna;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:anna@example.org`;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'davmesh-imip-e2e-'));
    const configDir = join(root, 'config');
    mkdirSync(configDir);
    relay = await startSmtpRelay();
    writeFileSync(
      join(configDir, 'imip.properties'),
      [
        `davmesh.imip.smtp.url=${relay.url}`,
        'davmesh.imip.from=calendar@example.org',
        `davmesh.imip.receive.maxParts=${MAX_PARTS}`,
        `davmesh.imip.receive.maxMessageBytes=${MAX_BYTES}`,
        '',
      ].join('\n'),
    );
    dataDir = await migratedDataDir(join(root, 'data'));
    node = await startNode(loadSettings({ DAVMESH_DATA: dataDir, DAVMESH_CONFIG_DIR: configDir, PORT: '0' }, 'all'), createLogger({ level: 'silent' }), { controlSocket: true });
    await node.bus.call(ContextsAdd, { contextId: 5, name: 'imip e2e' });
    anna = await node.bus.call(UsersAdd, { login: 'anna', password: 'anna-pw', contextId: 5, email: 'anna@example.org', displayName: 'Anna' });
  }, 90_000);

  afterAll(async () => {
    await node?.close();
    await relay?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('takes the REQUEST piped in (exit 0): the user finds it in her calendar over CalDAV, NEEDS-ACTION', async () => {
    const piped = await receive(await fromOscar('REQUEST', workshop('REQUEST', 0, `ATTENDEE;CN=Oscar;PARTSTAT=ACCEPTED:mailto:${OSCAR}`, invitee)));
    expect(piped).toMatchObject({ code: 0, printed: [expect.stringMatching(new RegExp(`^applied: REQUEST workshop-e2e from ${OSCAR} to user ${anna.userId} \\(workshop-e2e\\.ics in calendar \\d+\\)$`))] });
    const invitation = await objectOf('workshop-e2e');
    expect(partstatOf(String(invitation?.data), 'anna@example.org')).toBe('NEEDS-ACTION');
    expect(String(invitation?.data)).toContain('SUMMARY:Partner workshop');
  });

  it('mails her acceptance to the outside organizer through the relay, and her copy then says the relay took it (1.1)', async () => {
    const invitation = (await objectOf('workshop-e2e'))!;
    const updated = await (await client()).updateCalendarObject({ calendarObject: { ...invitation, data: withPartstat(String(invitation.data), 'anna@example.org', 'ACCEPTED') } });
    expect(updated.status).toBe(204);

    await eventually(() => expect(relay.mails.filter((m) => m.rcptTo.includes(OSCAR))).toHaveLength(1), 10_000);
    const [mail] = relay.mails.filter((m) => m.rcptTo.includes(OSCAR));
    expect([mail.parsed.from?.value[0].address, mail.parsed.subject]).toEqual(['anna@example.org', 'Accepted: Partner workshop']);
    const reply = mail.parsed.attachments.find((a) => a.contentType === 'text/calendar')!.content.toString('utf8');
    expect(reply).toContain('METHOD:REPLY');
    expect(partstatOf(reply, 'anna@example.org')).toBe('ACCEPTED');

    await eventually(async () => expect(scheduleStatusOf(String((await objectOf('workshop-e2e'))?.data), OSCAR, 'ORGANIZER')).toBe('1.1'), 10_000);
  });

  it('refuses, storing nothing: a From that is not the organizer, no attendee here (67), unreadable iCalendar, a mail over davmesh.imip.receive.maxMessageBytes or of more MIME parts than davmesh.imip.receive.maxParts (65)', async () => {
    const before = await objectOf('workshop-e2e');
    const forged = await receive(await fromOscar('CANCEL', workshop('CANCEL', 1, 'STATUS:CANCELLED', invitee), 'Eve <eve@elsewhere.example>'));
    expect([forged.code, forged.errors]).toEqual([65, expect.stringContaining('forbidden: the CANCEL is from its organizer mailto:oscar@partner.example')]);

    const cancel = workshop('CANCEL', 1, 'STATUS:CANCELLED', invitee);
    const stranger = await receive(await fromOscar('CANCEL', cancel.replace(/anna@example\.org/g, 'nobody@example.org')));
    expect([stranger.code, stranger.errors]).toEqual([67, expect.stringContaining('not-found: no attendee of this CANCEL is a user here')]);
    const broken = await receive(await fromOscar('CANCEL', cancel.replace(`DTSTART:${START}`, 'DTSTART:tomorrow')));
    expect([broken.code, broken.errors]).toEqual([65, expect.stringContaining('bad-request: ')]);
    const large = await imipMail({ from: OSCAR, to: anna.email!, subject: 'x'.repeat(10), method: 'CANCEL', ical: cancel.replace('SUMMARY:Partner workshop', `SUMMARY:Partner workshop\r\nDESCRIPTION:${'long '.repeat(MAX_BYTES / 4)}`) });
    expect(await receive(large)).toMatchObject({ code: 65, errors: expect.stringContaining(`the message is over ${MAX_BYTES} bytes (davmesh.imip.receive.maxMessageBytes)`) });

    const { createTransport } = await import('nodemailer');
    const parts = await createTransport({ streamTransport: true, buffer: true }).sendMail({
      from: OSCAR,
      to: anna.email!,
      subject: 'many parts',
      text: 'see attached',
      alternatives: [{ contentType: 'text/calendar; method=CANCEL; charset=UTF-8', content: cancel }],
      attachments: Array.from({ length: MAX_PARTS }, (_, i) => ({ filename: `note-${i}.txt`, content: `note ${i}` })),
    });
    expect(await receive(parts.message as Buffer)).toMatchObject({ code: 65, errors: expect.stringContaining(`more than ${MAX_PARTS} MIME parts (davmesh.imip.receive.maxParts)`) });

    expect((await objectOf('workshop-e2e'))?.etag).toBe(before?.etag);
  });

  it("cancels it with the outside organizer's CANCEL piped in: the client reads STATUS:CANCELLED", async () => {
    const piped = await receive(await fromOscar('CANCEL', workshop('CANCEL', 1, 'STATUS:CANCELLED', invitee)));
    expect(piped).toMatchObject({ code: 0, printed: [expect.stringMatching(/^applied: CANCEL workshop-e2e /)] });
    expect(String((await objectOf('workshop-e2e'))?.data)).toContain('STATUS:CANCELLED');
  });

  it("writes what the relay answered onto her own meeting's attendees, seen over CalDAV with a new ETag and sync token: 1.1 taken, 5.3 refused by policy", async () => {
    relay.answerRcpt = (address) => (address === 'carl@partner.example' ? { code: 550, message: '5.7.1 Relaying denied' } : undefined);
    const tsdav = await client();
    const before = await calendar();
    const meeting = vcalendar(
      ...vevent(
        'review-e2e',
        'SUMMARY:Supplier review',
        `DTSTART:${START.replace('T09', 'T14')}`,
        'DURATION:PT1H',
        'ORGANIZER;CN=Anna:mailto:anna@example.org',
        'ATTENDEE;CN=Anna;PARTSTAT=ACCEPTED:mailto:anna@example.org',
        'ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@partner.example',
        'ATTENDEE;CN=Carl;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carl@partner.example',
      ),
    );
    expect((await tsdav.createCalendarObject({ calendar: before, filename: 'review.ics', iCalString: meeting })).status).toBe(201);
    const queued = (await objectOf('review-e2e'))!;

    let settled!: DAVCalendarObject;
    await eventually(async () => {
      settled = (await objectOf('review-e2e'))!;
      expect([scheduleStatusOf(String(settled.data), 'bob@partner.example'), scheduleStatusOf(String(settled.data), 'carl@partner.example')]).toEqual(['1.1', '5.3']);
    }, 10_000);
    expect(settled.etag).not.toBe(queued.etag);
    expect((await calendar()).syncToken).not.toBe(before.syncToken);
    expect(relay.mails.filter((m) => m.rcptTo.includes('bob@partner.example'))).toHaveLength(1);
    expect(relay.mails.filter((m) => m.rcptTo.includes('carl@partner.example'))).toHaveLength(0);
  });
});
