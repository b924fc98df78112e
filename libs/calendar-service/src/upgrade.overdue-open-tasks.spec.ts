import { type PGlite } from '@electric-sql/pglite';
import { type DataSource } from 'typeorm';
import {
  CalendarFoldersList,
  CalendarObjectsGet,
  CalendarObjectsList,
  CalendarObjectsQuery,
  CalendarSyncChanges,
  type CompFilter,
} from '@davmesh/contracts';
import { startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';
import { openPGlite, openServiceDataSource, type StorageTarget } from '@davmesh/storage';
import { createTestDatabase, describeWithInfrastructure, vcalendar, vtodo, type TestDatabase } from '@davmesh/testing';
import { CALENDAR_SERVICE_SCHEMA, CalendarServiceModule } from './calendar-service.module';
import { FolderRepository } from './folders/folder.repository';
import { CalendarTaskSpans1766200000000, TASK_SPAN_BATCH } from './migrations/1766200000000-calendar-task-spans';
import { ObjectRepository } from './objects/object.repository';

const USER = 5;
/** A client's sync window that starts after every task's due date. */
const WINDOW = { start: '2026-06-01T00:00:00.000Z', end: '2027-06-01T00:00:00.000Z' };
const BULK = 2 * TASK_SPAN_BATCH + 1;

const overdueOpen = vcalendar(...vtodo('overdue-open', 'DTSTART:20260105T090000Z', 'DUE:20260106T170000Z', 'SUMMARY:file taxes'));
const done = vcalendar(...vtodo('done', 'DTSTART:20260105T090000Z', 'DUE:20260106T170000Z', 'COMPLETED:20260106T120000Z', 'STATUS:COMPLETED'));
const bulk = (i: number) => vcalendar(...vtodo(`bulk-${i}`, 'DUE:20260201T100000Z', 'STATUS:NEEDS-ACTION'));
const bulkName = (i: number) => `bulk-${String(i).padStart(3, '0')}.ics`;

/** The store before the upgrade: the migrations up to the one that recomputes task spans. */
const migrations = CALENDAR_SERVICE_SCHEMA.migrations as unknown[];
const BEFORE_UPGRADE = { ...CALENDAR_SERVICE_SCHEMA, migrations: migrations.slice(0, migrations.indexOf(CalendarTaskSpans1766200000000)) as typeof CALENDAR_SERVICE_SCHEMA.migrations };

interface Seeded {
  tasks: number;
  more: number;
  revision: number;
}

/**
 * Tasks written as the code before the upgrade wrote them (one upsert, a revision, a change row
 * each): an open task ended at its DUE then, so the index held a finite span for it.
 */
async function seedBeforeUpgrade(target: StorageTarget): Promise<Seeded> {
  const dataSource = await openServiceDataSource(target, BEFORE_UPGRADE);
  try {
    const folders = new FolderRepository(dataSource);
    const objects = new ObjectRepository(dataSource);
    const seeded = await dataSource.transaction(async (db) => {
      const tx = { folders: folders.in(db), objects: objects.in(db) };
      const tasks = (await tx.folders.insert({ ownerUserId: USER, defaultKind: 'tasks', displayName: 'Tasks', components: ['VTODO'] }))!;
      await tx.folders.insert({ ownerUserId: USER, defaultKind: 'calendar', displayName: 'Calendar', components: ['VEVENT'] });
      const more = (await tx.folders.insert({ ownerUserId: USER, collectionName: 'errands', displayName: 'Errands', components: ['VTODO'] }))!;
      const write = async (folderId: number, name: string, ical: string, firstStart: string, lastEnd: string) => {
        // The statement of the code of that time: later columns (schedule_tag) are not there yet.
        await db.query(
          `INSERT INTO "calendar"."objects" ("folder_id", "name", "uid", "component", "etag", "ical", "size", "first_start", "last_end")
           VALUES ($1, $2, $2, 'VTODO', $3, $4, $5, $6::timestamptz, $7::timestamptz)`,
          [folderId, name, `etag-${name}`, ical, Buffer.byteLength(ical), firstStart, lastEnd],
        );
        await tx.objects.recordChange(folderId, name, await tx.folders.bumpRevision(folderId), false);
      };
      await write(tasks, 'overdue-open.ics', overdueOpen, '2026-01-05T09:00:00.000Z', '2026-01-06T17:00:00.000Z');
      await write(tasks, 'done.ics', done, '2026-01-05T09:00:00.000Z', '2026-01-06T17:00:00.000Z');
      await write(tasks, 'unreadable.ics', 'BEGIN:VCALENDAR\r\nnot iCalendar', '2026-01-05T09:00:00.000Z', '2026-01-06T17:00:00.000Z');
      for (let i = 0; i < BULK; i++) await write(i % 2 ? more : tasks, bulkName(i), bulk(i), '-infinity', '2026-02-01T10:00:00.000Z');
      return { tasks, more };
    });
    const revision = Number((await dataSource.query(`SELECT "revision" FROM "calendar"."folders" WHERE "folder_id" = $1`, [seeded.tasks]))[0].revision);
    // The bug being fixed, as the old index shows it: an overdue open task is out of the window.
    // (Read with the window predicate of objects.page: the repository of today reads columns that store lacks.)
    const inWindow = (await dataSource.query(
      `SELECT "name" FROM "calendar"."objects" WHERE "folder_id" = $1 AND "first_start" < $2 AND "last_end" >= $3 ORDER BY "name"`,
      [seeded.tasks, WINDOW.end, WINDOW.start],
    )) as { name: string }[];
    expect(inWindow.map((o) => o.name)).toEqual([]);
    return { ...seeded, revision };
  } finally {
    await dataSource.destroy();
  }
}

type Sql = { query(text: string, params?: unknown[]): Promise<unknown[]> };

async function spanOf(dataSource: Sql, folderId: number, name: string): Promise<{ start: string; end: string }> {
  const [row] = (await dataSource.query(
    `SELECT CASE WHEN "first_start" = '-infinity' THEN '-infinity' ELSE to_char("first_start" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END AS "start",
            CASE WHEN "last_end" = 'infinity' THEN 'infinity' ELSE to_char("last_end" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END AS "end"
       FROM "calendar"."objects" WHERE "folder_id" = $1 AND "name" = $2`,
    [folderId, name],
  )) as { start: string; end: string }[];
  return row;
}

/** The bulk tasks as seeded: even ones in the tasks folder, odd ones in the second task list. */
const bulkNames = () => ({
  tasks: Array.from({ length: BULK }, (_, i) => i).filter((i) => i % 2 === 0).map(bulkName),
  more: Array.from({ length: BULK }, (_, i) => i).filter((i) => i % 2 === 1).map(bulkName),
});

describe('upgrading a store whose tasks were indexed by the old span code (embedded PGlite)', () => {
  let db: PGlite;
  let seeded: Seeded;
  let harness: ServiceHarness;
  const sql = { query: (text: string, params?: unknown[]) => db.query(text, params).then((r) => r.rows) };

  beforeAll(async () => {
    db = await openPGlite(undefined);
    seeded = await seedBeforeUpgrade({ kind: 'pglite', db });
    harness = await startServiceHarness('calendar', (storage) => CalendarServiceModule.register(storage), { db });
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
    await db?.close();
  });

  it('makes an overdue open task open-ended and leaves a completed one ending at its due date', async () => {
    expect(await spanOf(sql, seeded.tasks, 'overdue-open.ics')).toEqual({ start: '2026-01-05T09:00:00Z', end: 'infinity' });
    expect(await spanOf(sql, seeded.tasks, 'done.ics')).toEqual({ start: '2026-01-05T09:00:00Z', end: '2026-01-06T17:00:00Z' });
  });

  it('lists overdue open tasks in a sync window that starts after their due date, across batches and folders', async () => {
    const names = async (folderId: number) =>
      (await harness.bus.call(CalendarObjectsList, { userId: USER, folderId, limit: 1000, window: WINDOW })).objects.map((o) => o.name);
    const { tasks, more } = bulkNames();
    expect(await names(seeded.tasks)).toEqual([...tasks, 'overdue-open.ics']);
    expect(await names(seeded.more)).toEqual(more);
  });

  it('finds the overdue task with the open-tasks query clients send (VTODO without COMPLETED) in the window', async () => {
    const filter: CompFilter = { name: 'VCALENDAR', compFilters: [{ name: 'VTODO', propFilters: [{ name: 'COMPLETED', isNotDefined: true }] }] };
    const { objects } = await harness.bus.call(CalendarObjectsQuery, { userId: USER, folderId: seeded.tasks, filter, window: WINDOW, limit: 200 });
    expect(objects.map((o) => o.name)).toContain('overdue-open.ics');
    expect(objects.map((o) => o.name)).not.toContain('done.ics');
  });

  it('reports the task to an initial windowed sync, while a client holding the current token sees no change', async () => {
    const initial = await harness.bus.call(CalendarSyncChanges, { userId: USER, folderId: seeded.tasks, limit: 1000, window: WINDOW });
    expect(initial.changed.map((o) => o.name)).toContain('overdue-open.ics');
    expect(initial.revision).toBe(seeded.revision);
    const since = await harness.bus.call(CalendarSyncChanges, { userId: USER, folderId: seeded.tasks, sinceRevision: seeded.revision, limit: 1000 });
    expect(since).toMatchObject({ revision: seeded.revision, changed: [], removed: [] });
    const folders = await harness.bus.call(CalendarFoldersList, { userId: USER });
    expect(folders.find((f) => f.folderId === seeded.tasks)!.revision).toBe(seeded.revision);
  });

  it('serves every task byte for byte under its old ETag', async () => {
    const { objects } = await harness.bus.call(CalendarObjectsGet, { userId: USER, folderId: seeded.tasks, names: ['overdue-open.ics', 'done.ics'] });
    expect(objects.map((o) => [o.name, o.etag, o.ical])).toEqual([
      ['overdue-open.ics', 'etag-overdue-open.ics', overdueOpen],
      ['done.ics', 'etag-done.ics', done],
    ]);
  });

  it('starts even with a stored task it cannot read, which keeps the span it had', async () => {
    expect(await spanOf(sql, seeded.tasks, 'unreadable.ics')).toEqual({ start: '2026-01-05T09:00:00Z', end: '2026-01-06T17:00:00Z' });
  });
});

describeWithInfrastructure('upgrading a store whose tasks were indexed by the old span code (PostgreSQL)', () => {
  let database: TestDatabase;
  let seeded: Seeded;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const target: StorageTarget = { kind: 'postgres', url: database.url };
    seeded = await seedBeforeUpgrade(target);
    dataSource = await openServiceDataSource(target, CALENDAR_SERVICE_SCHEMA);
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('recomputes the spans on start and the windowed listing finds every overdue open task', async () => {
    expect(await spanOf(dataSource, seeded.tasks, 'overdue-open.ics')).toEqual({ start: '2026-01-05T09:00:00Z', end: 'infinity' });
    expect(await spanOf(dataSource, seeded.tasks, 'done.ics')).toEqual({ start: '2026-01-05T09:00:00Z', end: '2026-01-06T17:00:00Z' });
    const objects = new ObjectRepository(dataSource);
    const { tasks, more } = bulkNames();
    expect((await objects.page(seeded.tasks, undefined, 1000, WINDOW)).map((o) => o.name)).toEqual([...tasks, 'overdue-open.ics']);
    expect((await objects.page(seeded.more, undefined, 1000, WINDOW)).map((o) => o.name)).toEqual(more);
    const [folder] = await dataSource.query(`SELECT "revision" FROM "calendar"."folders" WHERE "folder_id" = $1`, [seeded.tasks]);
    expect(Number(folder.revision)).toBe(seeded.revision);
  });
});
