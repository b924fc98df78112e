import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import request from 'supertest';
import { createLogger } from '@davmesh/logging';
import { createBusClient, InProcessBroker } from '@davmesh/bus';
import { ConfigHealth } from '@davmesh/contracts';
import { DomainThread, loadSettings, NodeMetrics, Readiness, SettingsError, startNode, type RunningNode } from '@davmesh/runtime';
import { basicAuth } from '@davmesh/testing';
import { migratedDataDir } from './embedded-data-dir.fixture';

interface LogLine {
  level: number;
  msg?: string;
  service?: string;
}

const EVENT = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//davmesh//domain-thread spec//EN',
  'BEGIN:VEVENT',
  'UID:domain-thread-1',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20300101T100000Z',
  'DURATION:PT1H',
  'SUMMARY:Written by one thread layout',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

function start(dataDir: string, domainThread: 'on' | 'off', lines: LogLine[] = []): Promise<RunningNode> {
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } });
  return startNode(loadSettings({ DAVMESH_DATA: dataDir, PORT: '0', DAVMESH_DOMAIN_THREAD: domainThread }, 'all'), logger, { seedDemo: true });
}

const as = (node: RunningNode) => ({
  put: (path: string, body: string) => request(node.url!).put(path).set('Authorization', basicAuth('demo', 'demo')).set('Content-Type', 'text/calendar').send(body),
  get: (path: string) => request(node.url!).get(path).set('Authorization', basicAuth('demo', 'demo')),
});

async function defaultCalendar(node: RunningNode): Promise<string> {
  const home = await request(node.url!).propfind('/dav/caldav/').set('Authorization', basicAuth('demo', 'demo')).set('Depth', '1').send('<propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>');
  return /<d:href>(\/dav\/caldav\/\d+\/)<\/d:href>/.exec(home.text)![1];
}

describe('embedded mode: the domain services and PGlite on a thread of their own (DAVMESH_DOMAIN_THREAD)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await migratedDataDir();
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves on the thread (the default with two CPUs), logs the services through the node logger, and keeps the data when the layout changes', async () => {
    // On by default wherever a second CPU is there to use.
    expect(loadSettings({ DAVMESH_DATA: dataDir }, 'all')).toMatchObject({ mode: 'embedded', domainThread: availableParallelism() > 1 });

    const lines: LogLine[] = [];
    const threaded = await start(dataDir, 'on', lines);
    let href: string;
    try {
      href = `${await defaultCalendar(threaded)}domain-thread-1.ics`;
      const put = await as(threaded).put(href, EVENT);
      expect(put.status).toBe(201);
      const got = await as(threaded).get(href);
      expect(got.status).toBe(200);
      expect(got.headers.etag).toBe(put.headers.etag);
      expect(got.text).toContain('SUMMARY:Written by one thread layout');
    } finally {
      await threaded.close();
    }
    // The services' lines, written on their thread, come out of the node's logger.
    for (const service of ['config', 'calendar', 'contacts']) expect(lines).toContainEqual(expect.objectContaining({ service, msg: 'service ready', level: 30 }));

    // The same data directory, served the other way: what one layout wrote, the other reads.
    const single = await start(dataDir, 'off');
    try {
      const got = await as(single).get(href);
      expect(got.status).toBe(200);
      expect(got.text).toContain('SUMMARY:Written by one thread layout');
      expect((await as(single).put(href, EVENT.replace('one thread layout', 'the other layout'))).status).toBe(204);
    } finally {
      await single.close();
    }
    const again = await start(dataDir, 'on');
    try {
      expect((await as(again).get(href)).text).toContain('SUMMARY:Written by the other layout');
    } finally {
      await again.close();
    }
  }, 120_000);

  it('hands a thread that ends while serving to its owner, fails readiness, and answers unavailable rather than waiting', async () => {
    const broker = new InProcessBroker();
    const readiness = new Readiness();
    const lines: LogLine[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } });
    let lost!: (error: Error) => void;
    const whenLost = new Promise<Error>((resolve) => (lost = resolve));
    const thread = await DomainThread.start({ roles: ['config'], dataDir, configDir: dataDir, configPollMs: 60_000, onLost: lost }, broker, logger, readiness, new NodeMetrics());
    const bus = await createBusClient({ kind: 'in-process', broker }, 'spec');
    try {
      expect((await bus.request(ConfigHealth, {})).ok).toBe(true);
      expect(await readiness.report()).toMatchObject({ ready: true });
      // As an uncaught error in a service would end it (a spec has no other way in).
      await thread['worker'].terminate();
      expect((await whenLost).message).toMatch(/^the domain thread exited/);
      expect(await readiness.report()).toMatchObject({ ready: false, checks: [expect.objectContaining({ name: 'domain-thread', ok: false })] });
      expect(await bus.request(ConfigHealth, {}, { timeoutMs: 60_000 })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(lines).toContainEqual(expect.objectContaining({ level: 50, msg: expect.stringMatching(/^the domain thread exited/) }));
    } finally {
      await thread.stop();
    }
  }, 60_000);

  it('refuses a DAVMESH_DOMAIN_THREAD that is neither on nor off, saying which', () => {
    expect(() => loadSettings({ DAVMESH_DATA: dataDir, DAVMESH_DOMAIN_THREAD: 'maybe' }, 'all')).toThrow(SettingsError);
    expect(() => loadSettings({ DAVMESH_DATA: dataDir, DAVMESH_DOMAIN_THREAD: 'maybe' }, 'all')).toThrow(/DAVMESH_DOMAIN_THREAD "maybe"/);
  });
});
