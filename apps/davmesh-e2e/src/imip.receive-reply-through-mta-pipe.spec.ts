import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '@davmesh/cli';
import { UsersAdd, type User } from '@davmesh/contracts';
import { eventually, imipMail, vcalendar } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { receiveMail } from './imip-receive.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('davmesh imip receive: an external attendee\'s REPLY, piped in by the MTA, reaches the organizer\'s event', () => {
  const server = sharedNodePerSuite();
  let organizer: User;
  let send: ReturnType<typeof dav>;
  let href: string;
  let uid: string;

  const event = () =>
    vcalendar(
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260302T100000Z',
      'DTEND:20260302T110000Z',
      'SUMMARY:Supplier meeting',
      'SEQUENCE:0',
      `ORGANIZER;CN=Olga:mailto:${organizer.email}`,
      `ATTENDEE;CN=Olga;PARTSTAT=ACCEPTED:mailto:${organizer.email}`,
      'ATTENDEE;CN=Bob External;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@partner.example',
      'END:VEVENT',
    );
  const reply = (attendee: string, partstat: string, organizerAddress = organizer.email!, eventUid = uid) =>
    vcalendar(
      'METHOD:REPLY',
      'BEGIN:VEVENT',
      `UID:${eventUid}`,
      'DTSTAMP:20260103T080000Z',
      'SEQUENCE:0',
      `ORGANIZER;CN=Olga:mailto:${organizerAddress}`,
      `ATTENDEE;CN=Bob External;PARTSTAT=${partstat}:mailto:${attendee}`,
      'END:VEVENT',
    );
  const receive = (message: Buffer, ...args: string[]) => receiveMail(server().dataDir, message, ...args);
  const mail = (from: string, ical: string) => imipMail({ from, to: organizer.email!, subject: 'Accepted: Supplier meeting', method: 'REPLY', ical });
  const syncToken = async () => {
    const collection = href.replace(/[^/]+$/, '');
    const response = await send('PROPFIND', collection, { Depth: '0', 'Content-Type': 'application/xml' }, '<propfind xmlns="DAV:"><prop><sync-token/></prop></propfind>');
    return /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(response.text)?.[1];
  };
  const stored = async () => {
    const response = await send('GET', href);
    expect(response.status).toBe(200);
    return { etag: response.headers.etag as string, ical: response.text.replace(/\r\n[ \t]/g, '') };
  };

  beforeAll(async () => {
    const node = server();
    organizer = await node.bus.call(UsersAdd, {
      login: `olga-${node.contextId}`,
      password: 'olga-pw',
      contextId: node.contextId,
      displayName: 'Olga',
      email: `olga-${node.contextId}@example.org`,
    });
    uid = `supplier-${node.contextId}`;
    send = dav(node.url, organizer.login, 'olga-pw');
    href = `${(await calendarHrefs(send))['Calendar']}supplier.ics`;
    expect((await send('PUT', href, { 'Content-Type': 'text/calendar; charset=utf-8' }, event())).status).toBe(201);
    // Implicit scheduling queued the invitation for mail; with no relay on this node the queue writes 5.1 onto the copy.
    await eventually(async () => expect((await stored()).ical).toContain('PARTSTAT=NEEDS-ACTION;RSVP=TRUE;SCHEDULE-STATUS=5.1:mailto:bob@partner.example'), 10_000);
  }, 60_000);

  it('refuses a REPLY whose From is not the attendee (exit 65), and changes nothing', async () => {
    const before = await stored();
    const spoofed = await receive(await mail('Eve <eve@elsewhere.example>', reply('bob@partner.example', 'DECLINED')));
    expect(spoofed.code).toBe(65);
    expect(spoofed.errors).toContain('forbidden');
    expect(await stored()).toEqual(before);
  });

  it('applies the attendee\'s PARTSTAT to the organizer\'s copy, seen over CalDAV with a new ETag (exit 0)', async () => {
    const before = await stored();
    const tokenBefore = await syncToken();

    const accepted = await receive(await mail('Bob External <Bob@Partner.example>', reply('bob@partner.example', 'ACCEPTED')));
    expect(accepted.code).toBe(0);
    expect(accepted.printed).toEqual([expect.stringMatching(new RegExp(`^applied: REPLY ${uid} from Bob@Partner\\.example to user ${organizer.userId} \\(supplier\\.ics in calendar \\d+\\)$`, 'i'))]);

    const after = await stored();
    expect(after.etag).not.toBe(before.etag);
    expect(after.ical).toMatch(/ATTENDEE;CN=Bob External;PARTSTAT=ACCEPTED;RSVP=TRUE(;SCHEDULE-STATUS=[\d.]+)?:mailto:bob@partner\.example/);
    expect(after.ical).toContain(`ATTENDEE;CN=Olga;PARTSTAT=ACCEPTED:mailto:${organizer.email}`);
    expect(after.ical).toContain('SUMMARY:Supplier meeting');
    expect(await syncToken()).not.toBe(tokenBefore);

    // The same reply again (an MTA delivering twice) writes nothing.
    const again = await receive(await mail('bob@partner.example', reply('bob@partner.example', 'ACCEPTED')));
    expect([again.code, again.printed[0]?.split(':')[0]]).toEqual([0, 'unchanged']);
    expect((await stored()).etag).toBe(after.etag);
  });

  it('answers 67 for an organizer or an event the server does not know, 65 for a message without a REPLY; 0 for all of them with --accept-all', async () => {
    const before = await stored();
    const stranger = await receive(await mail('bob@partner.example', reply('bob@partner.example', 'DECLINED', 'ghost@nowhere.example')));
    expect([stranger.code, stranger.errors]).toEqual([67, expect.stringContaining('not-found')]);
    const gone = await receive(await mail('bob@partner.example', reply('bob@partner.example', 'DECLINED', organizer.email!, 'no-such-event')));
    expect(gone.code).toBe(67);
    const uninvited = await receive(await mail('eve@elsewhere.example', reply('eve@elsewhere.example', 'ACCEPTED')));
    expect(uninvited.code).toBe(65);

    const plain = Buffer.from(`From: bob@partner.example\r\nTo: ${organizer.email}\r\nSubject: hello\r\n\r\nJust text.\r\n`);
    expect((await receive(plain)).code).toBe(65);
    expect(await receive(plain, '--accept-all')).toMatchObject({ code: 0, printed: ['not applied: the message has no calendar part (text/calendar)'] });
    const copied = await receive(await mail('eve@elsewhere.example', reply('bob@partner.example', 'DECLINED')), '--accept-all');
    expect(copied).toMatchObject({ code: 0, printed: [expect.stringMatching(/^not applied: forbidden: /)] });
    const publish = await imipMail({ from: 'bob@partner.example', to: organizer.email!, subject: 'x', method: 'PUBLISH', ical: reply('bob@partner.example', 'ACCEPTED').replace('METHOD:REPLY', 'METHOD:PUBLISH') });
    expect(await receive(publish)).toMatchObject({ code: 65, errors: expect.stringContaining('an iTIP PUBLISH, not one of REQUEST, REPLY, CANCEL') });
    expect(await stored()).toEqual(before);
  });

  it('answers 75 (try again later) when the bus cannot be reached (here: its credentials file is missing)', async () => {
    const printed: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      const env = { NATS_URL: 'nats://127.0.0.1:4222', NATS_CREDS_FILE: join(server().dataDir, 'no-such.creds') };
      const code = await runCli(['imip', 'receive'], env, (line) => printed.push(line), Readable.from([await mail('bob@partner.example', reply('bob@partner.example', 'DECLINED'))]));
      expect(code).toBe(75);
    } finally {
      process.stderr.write = write;
    }
  });
});
