import { type PGlite } from '@electric-sql/pglite';
import { type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { InProcessBroker, InProcessBusClient, withWriteKey } from '@davmesh/bus';
import { CalendarFolderChanged, type CalendarFolderChangedEvent, type EventContract } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { createTestDatabase, describeWithInfrastructure, eventually, type TestDatabase } from '@davmesh/testing';
import { openServiceDataSource, type StorageTarget } from '../data-source';
import { openPGlite } from '../pglite';
import { Outbox, type OutboxOptions } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { createOutboxTable } from './outbox-table';
import { createWriteOutcomesTable } from './write-outcomes';

const SCHEMA = 'outbox_spec';
const logger = createLogger({ level: 'silent' });

class NotesAndOutbox1700000000000 implements MigrationInterface {
  name = 'NotesAndOutbox1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "${SCHEMA}"."notes" ("revision" integer PRIMARY KEY)`);
    await createOutboxTable(queryRunner, SCHEMA);
    await createWriteOutcomesTable(queryRunner, SCHEMA);
  }
  async down(): Promise<void> {}
}

/**
 * The in-process bus with a switch: while it is down, a publish is never confirmed, as over a
 * NATS connection that is trying to reconnect.
 */
class SwitchableBus extends InProcessBusClient {
  down = false;

  override async emit<P>(contract: EventContract<P>, payload: P): Promise<void> {
    if (this.down) return new Promise<void>(() => undefined);
    return super.emit(contract, payload);
  }
}

interface Node {
  dataSource: DataSource;
  outbox: Outbox;
  relay: OutboxRelay;
}

function outboxSuite(name: string, openTarget: () => Promise<{ target: StorageTarget; close(): Promise<void> }>): void {
  describe(name, () => {
    let target: StorageTarget;
    let close: () => Promise<void>;
    let broker: InProcessBroker;
    let bus: SwitchableBus;
    let received: CalendarFolderChangedEvent[];
    const nodes: Node[] = [];

    const startNode = async (options: Partial<OutboxOptions> = {}): Promise<Node> => {
      const dataSource = await openServiceDataSource(target, { schema: SCHEMA, migrations: [NotesAndOutbox1700000000000] });
      // One database per suite: each test starts from empty tables.
      if (nodes.length === 0) await dataSource.query(`TRUNCATE "${SCHEMA}"."notes", "${SCHEMA}"."outbox", "${SCHEMA}"."write_outcomes"`);
      const outbox = new Outbox(dataSource, bus, logger, { schema: SCHEMA, relayAfterMs: 0, ...options });
      const node = { dataSource, outbox, relay: new OutboxRelay(outbox, logger) };
      nodes.push(node);
      return node;
    };

    /** Stores note `revision` and announces it in the same transaction. */
    const write = (node: Node, revision: number) =>
      node.outbox.transaction(async (db, announce) => {
        await db.query(`INSERT INTO "${SCHEMA}"."notes" ("revision") VALUES ($1)`, [revision]);
        announce(CalendarFolderChanged, { folderId: 1, ownerUserId: 1, revision });
        return revision;
      });

    const stored = async (node: Node) =>
      ((await node.dataSource.query(`SELECT "revision" FROM "${SCHEMA}"."notes" ORDER BY "revision"`)) as { revision: number }[]).map((r) => r.revision);

    beforeAll(async () => {
      ({ target, close } = await openTarget());
    }, 60_000);

    afterAll(async () => {
      await close();
    });

    beforeEach(() => {
      broker = new InProcessBroker();
      bus = new SwitchableBus(broker);
      // Each test's own list: a late delivery of an earlier test's event cannot land in it.
      const sink: CalendarFolderChangedEvent[] = (received = []);
      broker.subscribe(CalendarFolderChanged.subject, undefined, (raw) => sink.push((JSON.parse(raw) as { data: CalendarFolderChangedEvent }).data));
    });

    afterEach(async () => {
      for (const node of nodes.splice(0)) {
        await node.relay.stop();
        await node.dataSource.destroy();
      }
    });

    it('publishes an event right after its commit and keeps nothing once it is out', async () => {
      const node = await startNode();
      expect(await write(node, 1)).toBe(1);
      await eventually(() => expect(received).toEqual([{ folderId: 1, ownerUserId: 1, revision: 1 }]));
      await node.outbox.settled();
      expect(await node.outbox.store.pending()).toBe(0);
    });

    it('stores nothing on the in-process bus, where a publish cannot fail, and publishes at once', async () => {
      const node = await startNode({ durable: false });
      await write(node, 1);
      await eventually(() => expect(received.map((e) => e.revision)).toEqual([1]));
      expect(await node.outbox.store.pending()).toBe(0);
      expect(await stored(node)).toEqual([1]);
    });

    it('announces nothing for a transaction that rolls back', async () => {
      const node = await startNode();
      await expect(
        node.outbox.transaction(async (db, announce) => {
          await db.query(`INSERT INTO "${SCHEMA}"."notes" ("revision") VALUES (1)`);
          announce(CalendarFolderChanged, { folderId: 1, ownerUserId: 1, revision: 1 });
          throw new Error('refused after the announcement');
        }),
      ).rejects.toThrow('refused after the announcement');
      await write(node, 2);
      await eventually(() => expect(received.length).toBeGreaterThan(0));
      expect(received.map((e) => e.revision)).toEqual([2]);
      expect(await stored(node)).toEqual([2]);
    });

    it('commits and answers a write within its bound while the bus is down, and the relay publishes every event once it is back', async () => {
      const node = await startNode({ publishWithinMs: 50 });
      bus.down = true;
      const started = Date.now();
      for (let revision = 1; revision <= 10; revision++) expect(await write(node, revision)).toBe(revision);
      // Ten writes at 50 ms each; generous for a loaded machine, far below a bus timeout.
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await stored(node)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await node.relay.relayOnce()).toBe(0);
      expect(await node.outbox.store.pending()).toBe(10);

      bus.down = false;
      expect(await node.relay.relayOnce()).toBe(10);
      await eventually(() => expect(received.map((e) => e.revision)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
      expect(await node.outbox.store.pending()).toBe(0);
    });

    it('lets the relays of several replicas share the table: every event published exactly once', async () => {
      const a = await startNode({ publishWithinMs: 10, relayBatch: 7 });
      const b = await startNode({ publishWithinMs: 10, relayBatch: 7 });
      bus.down = true;
      for (let revision = 1; revision <= 60; revision++) await write(revision % 2 ? a : b, revision);
      bus.down = false;
      while ((await a.outbox.store.pending()) > 0) await Promise.all([a.relay.relayOnce(), b.relay.relayOnce()]);
      await eventually(() => expect(received).toHaveLength(60));
      const revisions = received.map((e) => e.revision).sort((x, y) => x - y);
      expect(revisions).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    });

    it('takes over the events a relay leased and never finished (its replica died)', async () => {
      const node = await startNode({ publishWithinMs: 10 });
      bus.down = true;
      await write(node, 1);
      bus.down = false;
      // A replica leases the row and dies before publishing it.
      expect(await node.outbox.store.claimDue(0, 300, 10)).toHaveLength(1);
      expect(await node.outbox.store.claimDue(0, 300, 10)).toHaveLength(0);
      await eventually(async () => expect(await node.relay.relayOnce()).toBe(1));
      await eventually(() => expect(received.map((e) => e.revision)).toEqual([1]));
    });

    /** Note `revision` stored as a request keyed `key` over NATS would: what it answers, and how often its work ran. */
    const keyedWrite = async (node: Node, key: string, revision: number, runs: { count: number }) =>
      withWriteKey(key, () =>
        node.outbox.transaction(async (db, announce) => {
          runs.count++;
          const [row] = (await db.query(`INSERT INTO "${SCHEMA}"."notes" ("revision") VALUES ($1) ON CONFLICT DO NOTHING RETURNING now() AS "at"`, [revision])) as { at: Date }[];
          if (!row) throw new Error(`note ${revision} exists`);
          announce(CalendarFolderChanged, { folderId: 1, ownerUserId: 1, revision });
          return { revision, at: row.at };
        }),
      );

    it('answers a write asked again under its key with the first answer, without doing it twice', async () => {
      const node = await startNode();
      const runs = { count: 0 };
      const first = await keyedWrite(node, 'key-of-note-1', 1, runs);
      const again = await keyedWrite(node, 'key-of-note-1', 1, runs);
      expect(again).toEqual(first);
      expect(again.at).toBeInstanceOf(Date);
      expect(runs.count).toBe(1);
      await eventually(() => expect(received.map((e) => e.revision)).toEqual([1]));
      // Another key is another write: this one is refused, as the note exists.
      await expect(keyedWrite(node, 'key-of-another-write', 1, runs)).rejects.toThrow('note 1 exists');
    });

    it('answers a keyed write that announced nothing with its first answer too', async () => {
      const node = await startNode();
      let runs = 0;
      const silentWrite = () =>
        withWriteKey('key-of-a-silent-write', () =>
          node.outbox.transaction(async (db) => {
            runs++;
            const [row] = (await db.query(`INSERT INTO "${SCHEMA}"."notes" ("revision") VALUES (41) RETURNING now() AS "at"`)) as { at: Date }[];
            return { at: row.at };
          }),
        );
      const first = await silentWrite();
      expect(await silentWrite()).toEqual(first);
      expect(runs).toBe(1);
    });

    it('does a keyed write that rolled back when it is asked again', async () => {
      const node = await startNode();
      await expect(
        withWriteKey('key-of-a-refused-write', () =>
          node.outbox.transaction(async () => {
            throw new Error('refused');
          }),
        ),
      ).rejects.toThrow('refused');
      const runs = { count: 0 };
      expect((await keyedWrite(node, 'key-of-a-refused-write', 1, runs)).revision).toBe(1);
      expect(await stored(node)).toEqual([1]);
    });

    it('stores the outcome of a request that tried again after its first transaction rolled back, and answers it when asked again', async () => {
      const node = await startNode();
      const runs = { count: 0 };
      // As scheduling does: the first try finds it needs the directory, rolls back, and the request tries again.
      const request = () =>
        withWriteKey('key-of-a-second-try', async () => {
          const first = await node.outbox
            .transaction<number>(async () => {
              throw new Error('needs a look-up first');
            })
            .then((answer) => ({ answer }), () => undefined);
          if (first) return first.answer;
          return node.outbox.transaction(async (db) => {
            runs.count++;
            await db.query(`INSERT INTO "${SCHEMA}"."notes" ("revision") VALUES ($1) ON CONFLICT DO NOTHING`, [runs.count]);
            return runs.count;
          });
        });
      expect(await request()).toBe(1);
      expect(await request()).toBe(1);
      expect(runs.count).toBe(1);
      expect(await stored(node)).toEqual([1]);
    });

    it('runs a write asked twice at once under one key once, on two replicas, and answers both alike', async () => {
      const a = await startNode();
      const b = await startNode();
      const runs = { count: 0 };
      const [fromA, fromB] = await Promise.all([keyedWrite(a, 'key-asked-twice', 7, runs), keyedWrite(b, 'key-asked-twice', 7, runs)]);
      expect(fromA).toEqual(fromB);
      expect(runs.count).toBe(1);
      expect(await stored(a)).toEqual([7]);
      await eventually(() => expect(received.map((e) => e.revision)).toEqual([7]));
    });

    it('runs on its own once started: an event the writer could not publish goes out without any call', async () => {
      const node = await startNode({ publishWithinMs: 10, relayIntervalMs: 50, relayAfterMs: 100 });
      bus.down = true;
      await write(node, 1);
      bus.down = false;
      node.relay.start();
      await eventually(() => expect(received.map((e) => e.revision)).toEqual([1]));
      await eventually(async () => expect(await node.outbox.store.pending()).toBe(0));
    });
  });
}

outboxSuite('the outbox on PGlite', async () => {
  const db: PGlite = await openPGlite(undefined);
  return { target: { kind: 'pglite', db }, close: () => db.close() };
});

describeWithInfrastructure('the outbox on PostgreSQL', () => {
  outboxSuite('with replicas on one database', async () => {
    const database: TestDatabase = await createTestDatabase();
    return { target: { kind: 'postgres', url: database.url }, close: () => database.drop() };
  });
});
