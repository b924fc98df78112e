import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { connect, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { createBusClient, prefixed, type BusClient } from '@davmesh/bus';
import { CalendarFolderChanged, ContextsAdd, UsersAdd } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { createTestDatabase, describeWithInfrastructure, eventually, randomSubjectPrefix, vcalendar, vevent, waitFor, type TestDatabase } from '@davmesh/testing';
import { calendarHrefs, dav } from './caldav-test-server';

const NATS_SERVER = '/usr/sbin/nats-server';
/** One of the ports this suite owns. */
const NATS_PORT = 14321;
const WRITERS = 4;
/** How long NATS stays down: longer than a reconnect attempt, shorter than a bus timeout. */
const OUTAGE_MS = 1500;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function startNats(): Promise<ChildProcess> {
  const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(NATS_PORT)], { stdio: 'ignore' });
  await eventually(async () => expect(await portOpen(NATS_PORT)).toBe(true), 20_000);
  return child;
}

async function killNats(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

interface Outcome {
  name: string;
  status: number;
}

describeWithInfrastructure('PUTs while NATS is killed and started again, with two calendar replicas', () => {
  const prefix = randomSubjectPrefix();
  const natsUrl = `nats://127.0.0.1:${NATS_PORT}`;
  let nats: ChildProcess;
  let database: TestDatabase;
  let sql: Client;
  let bus: BusClient;
  let listener: NatsConnection;
  const nodes: RunningNode[] = [];
  /** `folderId:revision` of every calendar change event heard. */
  const announced = new Set<string>();
  let send: ReturnType<typeof dav>;
  let events: string;

  beforeAll(async () => {
    nats = await startNats();
    database = await createTestDatabase();
    const env = { NATS_URL: natsUrl, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, PORT: '0' };
    const start = async (role: string) => {
      const node = await startNode(loadSettings(env, role), createLogger({ level: 'silent' }));
      nodes.push(node);
      return node;
    };
    await start('config');
    await Promise.all([start('calendar'), start('calendar')]);
    const edge = await start('edge');
    bus = await createBusClient({ kind: 'nats', servers: natsUrl, prefix }, 'test');
    await bus.call(ContextsAdd, { contextId: 1 });
    await bus.call(UsersAdd, { login: 'anna', password: 'anna-pw', contextId: 1 });
    // Reconnects before the services do (they wait 500 ms), so it hears what their relays publish.
    listener = await connect({ servers: natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 20, reconnectJitter: 0 });
    listener.subscribe(prefixed(prefix, CalendarFolderChanged.subject), {
      callback: (_error, message) => {
        const { data } = message.json<{ data: { folderId: number; revision: number } }>();
        announced.add(`${data.folderId}:${data.revision}`);
      },
    });
    await listener.flush();
    send = dav(edge.url!, 'anna', 'anna-pw');
    events = (await calendarHrefs(send))['Calendar'];
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  }, 60_000);

  afterAll(async () => {
    await sql?.end();
    await listener?.close();
    await bus?.close();
    for (const node of nodes.reverse()) await node.close();
    if (nats) await killNats(nats);
    await database?.drop();
  });

  it('loses no acknowledged write, answers no 500, and announces every stored revision once NATS is back', async () => {
    const outcomes: Outcome[] = [];
    let writing = true;
    const writer = async (w: number) => {
      for (let k = 0; writing; k++) {
        const name = `w${w}-${k}.ics`;
        const response = await send('PUT', `${events}${name}`, { 'Content-Type': 'text/calendar', 'If-None-Match': '*' }, vcalendar(...vevent(`${w}-${k}`, 'DTSTART:20260301T100000Z', 'SUMMARY:x')));
        outcomes.push({ name, status: response.status });
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    const succeeded = () => outcomes.filter((o) => o.status < 300).length;

    await waitFor(() => succeeded() >= 40, 60_000);
    await killNats(nats);
    const killedAt = outcomes.length;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    nats = await startNats();
    const before = succeeded();
    await waitFor(() => succeeded() >= before + 40, 60_000);
    writing = false;
    await Promise.all(writers);

    const rows = (await sql.query<{ name: string }>(`SELECT "name" FROM "calendar"."objects"`)).rows;
    const stored = new Set(rows.map((r) => r.name));
    const acknowledgedButLost = outcomes.filter((o) => o.status < 300 && !stored.has(o.name));
    const storedButFailed = outcomes.filter((o) => o.status >= 500 && stored.has(o.name));
    const unexpected = outcomes.filter((o) => o.status !== 201 && o.status !== 503);
    process.stderr.write(
      `outbox under a NATS restart: ${outcomes.length} PUTs (${killedAt} before the kill), ${succeeded()} answered 201, ` +
        `${outcomes.filter((o) => o.status === 503).length} answered 503, of them ${storedButFailed.length} stored\n`,
    );
    expect(acknowledgedButLost).toEqual([]);
    expect(unexpected).toEqual([]);

    const changes = (await sql.query<{ folder_id: number; revision: string }>(`SELECT "folder_id", "revision" FROM "calendar"."changes"`)).rows;
    const revisions = changes.map((c) => `${c.folder_id}:${c.revision}`);
    expect(revisions.length).toBe(stored.size);
    await eventually(() => expect(revisions.filter((r) => !announced.has(r))).toEqual([]), 30_000);
    process.stderr.write(`outbox under a NATS restart: ${revisions.filter((r) => announced.has(r)).length}/${revisions.length} stored revisions announced\n`);
    await eventually(async () => expect((await sql.query(`SELECT 1 FROM "calendar"."outbox"`)).rowCount).toBe(0), 30_000);
    // The known gap: a write in flight when NATS dies commits, but its reply is lost with the
    // connection, and the edge answers 503 when its request times out. Only those writes.
    expect(storedButFailed.length).toBeLessThanOrEqual(WRITERS);
  }, 180_000);
});
