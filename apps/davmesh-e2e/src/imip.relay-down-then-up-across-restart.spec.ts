import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@davmesh/cli';
import { ConfigFilesReload, ImipEnqueue, ImipOutgoingList, type ImipMessageStatus, type ImipOutgoingMessage } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { eventually, startSmtpRelay, unusedPort, vcalendar, type TestSmtpRelay } from '@davmesh/testing';
import { migratedDataDir } from './embedded-data-dir.fixture';

const invitation = (to: string): ImipOutgoingMessage => ({
  from: 'mailto:anna@example.org',
  to: `mailto:${to}`,
  method: 'REQUEST',
  ical: vcalendar(
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    'UID:offsite-2026',
    'DTSTAMP:20260101T000000Z',
    'DTSTART;VALUE=DATE:20260415',
    'SUMMARY:Offsite',
    'ORGANIZER;CN=Anna:mailto:anna@example.org',
    `ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:${to}`,
    'END:VEVENT',
  ),
  reference: { ownerUserId: 1, uid: 'offsite-2026', recipient: `mailto:${to}` },
});

describe('iMIP outgoing queue through the config files: nothing sent without a relay, a message kept while the relay is down and sent after a restart', () => {
  let root: string;
  let configDir: string;
  let env: Record<string, string>;
  let node: RunningNode | undefined;
  let relay: TestSmtpRelay | undefined;

  const start = async () => {
    node = await startNode(loadSettings(env, 'all'), createLogger({ level: 'silent' }), { controlSocket: true });
    return node;
  };
  const status = async (messageId: string): Promise<ImipMessageStatus | undefined> =>
    (await node!.bus.call(ImipOutgoingList, { limit: 500 })).messages.find((m) => m.messageId === messageId);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'davmesh-imip-restart-'));
    configDir = join(root, 'config');
    mkdirSync(configDir);
    env = { DAVMESH_DATA: await migratedDataDir(join(root, 'data')), DAVMESH_CONFIG_DIR: configDir, PORT: '0' };
    await start();
  }, 60_000);

  afterAll(async () => {
    await node?.close();
    await relay?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('sends nothing while davmesh.imip.smtp.url is empty: the message is recorded as not-configured, 5.1', async () => {
    const { messageId } = await node!.bus.call(ImipEnqueue, invitation('nora@partner.example'));
    await eventually(async () => expect(await status(messageId)).toMatchObject({ state: 'not-configured', scheduleStatus: '5.1', attempts: 1 }), 8000);
  });

  it('keeps a message while the relay is down, and sends it once, after a restart of the calendar role, when the relay is back', async () => {
    const port = await unusedPort();
    writeFileSync(
      join(configDir, 'imip.properties'),
      [`davmesh.imip.smtp.url=smtp://127.0.0.1:${port}`, 'davmesh.imip.from=calendar@example.org', 'davmesh.imip.retry.firstDelaySeconds=1', ''].join('\n'),
    );
    expect(await node!.bus.call(ConfigFilesReload, {})).toMatchObject({ applied: true, problems: [] });

    const { messageId } = await node!.bus.call(ImipEnqueue, invitation('bob@partner.example'));
    await eventually(async () => expect((await status(messageId))?.attempts).toBeGreaterThanOrEqual(1), 8000);
    expect(await status(messageId)).toMatchObject({ state: 'queued', scheduleStatus: '1.0', lastResponse: expect.stringContaining('ECONNREFUSED') });

    await node!.close();
    node = undefined;
    relay = await startSmtpRelay({ port });
    await start();

    await eventually(async () => expect(await status(messageId)).toMatchObject({ state: 'sent', scheduleStatus: '1.1' }), 15_000);
    expect(relay.mails).toHaveLength(1);
    const [mail] = relay.mails;
    expect([mail.mailFrom, mail.rcptTo, mail.parsed.subject]).toEqual(['calendar@example.org', ['bob@partner.example'], 'Invitation: Offsite']);
    expect(mail.parsed.text).toContain('When: 2026-04-15');
  });

  it('lists the queue for the operator: davmesh imip queue', async () => {
    const printed: string[] = [];
    expect(await runCli(['imip', 'queue'], { DAVMESH_DATA: env.DAVMESH_DATA }, (line) => printed.push(line))).toBe(0);
    expect(printed.map((line) => line.split('\t').slice(1, 6))).toEqual([
      ['not-configured', '5.1', '1', 'REQUEST', 'nora@partner.example'],
      ['sent', '1.1', expect.stringMatching(/^[2-9]$/), 'REQUEST', 'bob@partner.example'],
    ]);
    const sent: string[] = [];
    expect(await runCli(['imip', 'queue', '--state', 'sent'], { DAVMESH_DATA: env.DAVMESH_DATA }, (line) => sent.push(line))).toBe(0);
    expect(sent).toHaveLength(1);
    expect(await runCli(['imip', 'queue', '--state', 'lost'], { DAVMESH_DATA: env.DAVMESH_DATA }, () => undefined)).toBe(2);
  });
});
