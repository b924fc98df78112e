import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PGlite } from '@electric-sql/pglite';
import { CalendarFoldersList, CalendarObjectsList, CalendarSharingRespond, ContextsAdd, UsersAdd, type Reply } from '@davmesh/contracts';
import { startCalendarWithConfig, type CalendarWithConfig, type StorageServiceHarness } from '@davmesh/service-testing';
import { openPGlite, openServiceDataSource } from '@davmesh/storage';
import { CALENDAR_SERVICE_SCHEMA } from './calendar-service.module';
import { FolderRepository } from './folders/folder.repository';
import { CalendarShareInvitations1767300000000 } from './migrations/1767300000000-calendar-share-invitations';

// The first two users the directory of a new store adds; the share is seeded before they are.
const OWNER = { userId: 1, login: 'olga' };
const GRANTEE = { userId: 2, login: 'gert' };

const migrations = CALENDAR_SERVICE_SCHEMA.migrations as unknown[];
const BEFORE_UPGRADE = {
  ...CALENDAR_SERVICE_SCHEMA,
  migrations: migrations.slice(0, migrations.indexOf(CalendarShareInvitations1767300000000)) as typeof CALENDAR_SERVICE_SCHEMA.migrations,
};

/** A calendar the operator shared before shares had states, as the code of that time stored it. */
async function seedBeforeUpgrade(db: PGlite): Promise<number> {
  const dataSource = await openServiceDataSource({ kind: 'pglite', db }, BEFORE_UPGRADE);
  try {
    const folderId = (await new FolderRepository(dataSource).insert({ ownerUserId: OWNER.userId, collectionName: 'team', displayName: 'Team', components: ['VEVENT'] }))!;
    await dataSource.query(`INSERT INTO "calendar"."shares" ("folder_id", "grantee_user_id", "rights") VALUES ($1, $2, 'write')`, [folderId, GRANTEE.userId]);
    return folderId;
  } finally {
    await dataSource.destroy();
  }
}

describe('upgrading a store with shares made before they had states (embedded PGlite)', () => {
  let db: PGlite;
  let folderId: number;
  let services: CalendarWithConfig;
  let harness: StorageServiceHarness;
  let configDir: string;

  beforeAll(async () => {
    db = await openPGlite(undefined);
    folderId = await seedBeforeUpgrade(db);
    configDir = mkdtempSync(join(tmpdir(), 'davmesh-upgrade-shares-'));
    services = await startCalendarWithConfig({ kind: 'pglite', db }, configDir);
    harness = services.harness;
    await harness.bus.call(ContextsAdd, { contextId: 1 });
    for (const { userId, login } of [OWNER, GRANTEE]) {
      expect((await harness.bus.call(UsersAdd, { login, password: `pw-${login}`, contextId: 1, email: `${login}@example.org` })).userId).toBe(userId);
    }
  }, 60_000);

  afterAll(async () => {
    await services?.close();
    await db?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('keeps them granted: accepted and direct, the calendar in the grantee\'s home with the rights it had', async () => {
    const shared = (await harness.bus.call(CalendarFoldersList, { userId: GRANTEE.userId })).find((f) => f.folderId === folderId);
    expect(shared).toMatchObject({ rights: 'write', sharees: [{ userId: GRANTEE.userId, status: 'accepted', direct: true, rights: 'write', summary: null }] });
    expect(shared!.sharees![0].inviteUid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await harness.bus.request(CalendarObjectsList, { userId: GRANTEE.userId, folderId, limit: 10 })).ok).toBe(true);
  });

  it('does not let the grantee decline what the operator granted', async () => {
    const [share] = (await harness.bus.call(CalendarFoldersList, { userId: OWNER.userId })).find((f) => f.folderId === folderId)!.sharees!;
    const declined: Reply<unknown> = await harness.bus.request(CalendarSharingRespond, { userId: GRANTEE.userId, inviteUid: share.inviteUid, accept: false });
    expect(declined.ok ? undefined : declined.error.details?.['condition']).toBe('invalid-share');
  });
});
