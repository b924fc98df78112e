import { connect, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { createBusClient, prefixed, type BusClient } from '@davmesh/bus';
import { CalendarFolderChanged, ContactFolderChanged, ContextsAdd, UsersAdd } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import {
  createTestDatabase,
  describeWithInfrastructure,
  eventually,
  PrivateNats,
  randomSubjectPrefix,
  vcalendar,
  vevent,
  waitFor,
  type TestDatabase,
} from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';

/** Writers of calendar objects, then of contacts. */
const WRITERS = [0, 1, 2, 3].map((w) => ({ w, kind: w < 2 ? 'calendar' : 'contacts' }) as const);
/** How long NATS stays down: longer than a reconnect attempt, shorter than a bus timeout. */
const OUTAGE_MS = 1500;

interface Outcome {
  kind: 'calendar' | 'contacts';
  name: string;
  status: number;
}

const vcard = (uid: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${uid}\r\nN:${uid};;;;\r\nEND:VCARD\r\n`;

describeWithInfrastructure('PUTs while NATS is killed and started again, with two calendar and two contacts replicas', () => {
  const prefix = randomSubjectPrefix();
  let nats: PrivateNats;
  let database: TestDatabase;
  let sql: Client;
  let bus: BusClient;
  let listener: NatsConnection;
  const nodes: RunningNode[] = [];
  /** `calendar:folderId:revision` and `contacts:contextId:folderId:revision` of every change event heard. */
  const announced = new Set<string>();
  let send: ReturnType<typeof dav>;
  const collections = { calendar: '', contacts: '' };

  beforeAll(async () => {
    nats = await PrivateNats.start();
    const natsUrl = nats.url;
    database = await createTestDatabase();
    // Reconnects before the services do (they wait 500 ms), so it hears what their relays publish.
    listener = await connect({ servers: natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 20, reconnectJitter: 0 });
    listener.subscribe(prefixed(prefix, CalendarFolderChanged.subject), {
      callback: (_error, message) => {
        const { data } = message.json<{ data: { folderId: number; revision: number } }>();
        announced.add(`calendar:${data.folderId}:${data.revision}`);
      },
    });
    listener.subscribe(prefixed(prefix, ContactFolderChanged.subject), {
      callback: (_error, message) => {
        const { data } = message.json<{ data: { contextId: number; folderId: number; revision: number } }>();
        announced.add(`contacts:${data.contextId}:${data.folderId}:${data.revision}`);
      },
    });
    await listener.flush();
    const env = { NATS_URL: natsUrl, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, PORT: '0' };
    const start = async (role: string) => {
      const node = await startNode(loadSettings(env, role), createLogger({ level: 'silent' }));
      nodes.push(node);
      return node;
    };
    await start('config');
    await Promise.all([start('calendar'), start('calendar'), start('contacts'), start('contacts')]);
    const edge = await start('edge');
    bus = await createBusClient({ kind: 'nats', servers: natsUrl, prefix }, 'test');
    await bus.call(ContextsAdd, { contextId: 1 });
    await bus.call(UsersAdd, { login: 'anna', password: 'anna-pw', contextId: 1 });
    send = dav(edge.url!, 'anna', 'anna-pw');
    collections.calendar = (await calendarHrefs(send))['Calendar'];
    const books = await send('PROPFIND', '/dav/carddav/', { Depth: '1', 'Content-Type': 'application/xml' }, '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>');
    collections.contacts = /<d:href>([^<]+)<\/d:href><d:propstat><d:prop><d:displayname>Contacts</.exec(books.text)![1];
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  }, 60_000);

  afterAll(async () => {
    await sql?.end();
    await listener?.close();
    await bus?.close();
    for (const node of nodes.reverse()) await node.close();
    await nats?.stop();
    await database?.drop();
  });

  it('answers every stored write as stored, and announces every stored revision once NATS is back', async () => {
    const put = (kind: Outcome['kind'], name: string, uid: string) =>
      kind === 'calendar'
        ? send('PUT', `${collections.calendar}${name}.ics`, { 'Content-Type': 'text/calendar', 'If-None-Match': '*' }, vcalendar(...vevent(uid, 'DTSTART:20260301T100000Z', 'SUMMARY:x')))
        : send('PUT', `${collections.contacts}${name}.vcf`, { 'Content-Type': 'text/vcard', 'If-None-Match': '*' }, vcard(uid));
    const outcomes: Outcome[] = [];
    let writing = true;
    const writer = async ({ w, kind }: (typeof WRITERS)[number]) => {
      for (let k = 0; writing; k++) {
        const name = `w${w}-${k}`;
        const response = await put(kind, name, name);
        outcomes.push({ kind, name, status: response.status });
      }
    };
    const writers = WRITERS.map(writer);
    const succeeded = () => outcomes.filter((o) => o.status < 300).length;

    await waitFor(() => succeeded() >= 40, 60_000);
    let killedAt = 0;
    await nats.restart(async () => {
      killedAt = outcomes.length;
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    });
    const before = succeeded();
    await waitFor(() => succeeded() >= before + 40, 60_000);
    writing = false;
    await Promise.all(writers);

    const names = async (table: string) => (await sql.query<{ name: string }>(`SELECT "name" FROM ${table}`)).rows.map((r) => r.name.replace(/\.(ics|vcf)$/, ''));
    const stored = new Set([...(await names('"calendar"."objects"')), ...(await names(`"contacts"."contacts" WHERE "folder_id" <> 6`))]);
    const acknowledgedButLost = outcomes.filter((o) => o.status < 300 && !stored.has(o.name));
    const storedButFailed = outcomes.filter((o) => o.status >= 500 && stored.has(o.name));
    const unexpected = outcomes.filter((o) => o.status !== 201 && o.status !== 503);
    process.stderr.write(
      `outbox under a NATS restart: ${outcomes.length} PUTs (${killedAt} before the kill), ${succeeded()} answered 201, ` +
        `${outcomes.filter((o) => o.status === 503).length} answered 503, of them ${storedButFailed.length} stored\n`,
    );
    expect(acknowledgedButLost).toEqual([]);
    expect(unexpected).toEqual([]);
    // A write in flight when NATS died committed; its reply is sent again once NATS is back.
    expect(storedButFailed).toEqual([]);

    // What a client does with a 503: it tries again, and since nothing was stored, it is not refused with 412.
    for (const failed of outcomes.filter((o) => o.status === 503)) {
      expect((await put(failed.kind, failed.name, failed.name)).status).toBe(201);
    }

    // Every revision stored (the global address list's included) is announced.
    const calendarChanges = await sql.query<{ folder_id: number; revision: string }>(`SELECT "folder_id", "revision" FROM "calendar"."changes"`);
    const contactChanges = await sql.query<{ context_id: number; folder_id: number; revision: string }>(`SELECT "context_id", "folder_id", "revision" FROM "contacts"."changes"`);
    const revisions = [
      ...calendarChanges.rows.map((c) => `calendar:${c.folder_id}:${c.revision}`),
      ...contactChanges.rows.map((c) => `contacts:${c.context_id}:${c.folder_id}:${c.revision}`),
    ];
    expect(revisions.length).toBeGreaterThanOrEqual(outcomes.length);
    await eventually(() => expect(revisions.filter((r) => !announced.has(r))).toEqual([]), 30_000);
    process.stderr.write(`outbox under a NATS restart: ${revisions.filter((r) => announced.has(r)).length}/${revisions.length} stored revisions announced\n`);
    for (const schema of ['calendar', 'contacts']) {
      await eventually(async () => expect((await sql.query(`SELECT 1 FROM "${schema}"."outbox"`)).rowCount).toBe(0), 30_000);
    }
  }, 180_000);
});
