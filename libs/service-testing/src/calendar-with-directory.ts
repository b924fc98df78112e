import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CalendarFoldersList,
  CalendarInboxOpen,
  CalendarObjectsGet,
  CalendarObjectsList,
  ContextsAdd,
  UsersAdd,
  UsersSetEnabled,
  type CalendarFolder,
  type CalendarObject,
  type Reply,
  type User,
} from '@davmesh/contracts';
import { calendarWithConfigServices } from './calendar-with-config-service';
import { describeServicesOnEachStore, type StorageServiceHarness } from './service-harness';

/** A user the fixture adds through the directory's own requests (config.v1.directory.users.add). */
export interface DirectoryPerson {
  contextId: number;
  email: string;
  /** False: disabled after being added (config.v1.directory.users.set-enabled). */
  enabled?: boolean;
}

/** A calendar object with the folder it was found in. */
export type FoundCopy = CalendarObject & { folderId: number };

/**
 * The calendar service with the real directory behind it (the config service on the same store
 * and in-process bus), the users added as an operator adds them, and what scheduling specs read
 * back as the users' clients would.
 */
export interface CalendarWithDirectory<Login extends string> {
  harness: StorageServiceHarness;
  /** Each person as the directory answered their adding: the ids are the directory's. */
  users: Record<Login, User>;
  /** The user's first own calendar that holds events (their default one). */
  calendarOf(userId: number): Promise<CalendarFolder>;
  /** The user's objects of this UID across their own calendars (never the inbox). */
  copiesOf(userId: number, uid: string): Promise<FoundCopy[]>;
  /** The user's one object of this UID; fails the test when there is none or several. */
  copyOf(userId: number, uid: string): Promise<FoundCopy>;
  /** The texts of the messages of this UID in the user's schedule inbox. */
  inboxOf(userId: number, uid: string): Promise<string[]>;
  /** The METHODs of those messages, sorted. */
  methods(userId: number, uid: string): Promise<string[]>;
}

/** What a refusal names: its precondition, else its code; undefined for a success. */
export function refusalOf(reply: Reply<unknown>): string | undefined {
  return reply.ok ? undefined : ((reply.error.details?.['condition'] as string | undefined) ?? reply.error.code);
}

/**
 * The cases on PGlite and, where PostgreSQL is up, on PostgreSQL, against the config service and
 * the calendar service each as its own app on one bus (as in an embedded node): scheduling asks
 * the directory over the bus as it does in production. `serverProperties` is written to the
 * config directory's `server.properties` (com.openexchange.dav.prefixPath and the like); a
 * function is called when the services start, after the spec's outer beforeAll (a relay's port).
 */
export function describeCalendarWithDirectory<Login extends string>(
  title: string,
  people: Record<Login, DirectoryPerson>,
  cases: (fixture: CalendarWithDirectory<Login>) => void,
  options: { serverProperties?: string | (() => string) } = {},
): void {
  let configDir = '';
  describeServicesOnEachStore(title, calendarWithConfigServices(() => configDir), (start) => {
    let close: (() => Promise<void>) | undefined;
    const fixture = readBack({} as CalendarWithDirectory<Login>);

    beforeAll(async () => {
      configDir = mkdtempSync(join(tmpdir(), 'davmesh-calendar-directory-'));
      const properties = typeof options.serverProperties === 'function' ? options.serverProperties() : options.serverProperties;
      if (properties) writeFileSync(join(configDir, 'server.properties'), properties);
      const started = await start();
      close = started.close;
      fixture.harness = started.harness;
      fixture.users = await addPeople(started.harness, people);
    }, 60_000);

    afterAll(async () => {
      await close?.();
      rmSync(configDir, { recursive: true, force: true });
    });

    cases(fixture);
  });
}

async function addPeople<Login extends string>(harness: StorageServiceHarness, people: Record<Login, DirectoryPerson>): Promise<Record<Login, User>> {
  const entries = Object.entries(people) as [Login, DirectoryPerson][];
  for (const contextId of new Set(entries.map(([, person]) => person.contextId))) await harness.bus.call(ContextsAdd, { contextId });
  const users = {} as Record<Login, User>;
  for (const [login, person] of entries) {
    users[login] = await harness.bus.call(UsersAdd, { login, password: `pw-${login}`, contextId: person.contextId, email: person.email });
    if (person.enabled === false) users[login] = await harness.bus.call(UsersSetEnabled, { login, enabled: false });
  }
  return users;
}

/** The fixture's readers, over whatever harness it holds when they are called. */
function readBack<Login extends string>(fixture: CalendarWithDirectory<Login>): CalendarWithDirectory<Login> {
  const bus = () => fixture.harness.bus;
  const objectsIn = async (userId: number, folderId: number): Promise<CalendarObject[]> => {
    const names = (await bus().call(CalendarObjectsList, { userId, folderId, limit: 1000 })).objects.map((o) => o.name);
    return names.length === 0 ? [] : (await bus().call(CalendarObjectsGet, { userId, folderId, names })).objects;
  };
  fixture.calendarOf = async (userId) => (await bus().call(CalendarFoldersList, { userId })).find((f) => f.components.includes('VEVENT') && f.ownerUserId === userId)!;
  fixture.copiesOf = async (userId, uid) => {
    const found: FoundCopy[] = [];
    for (const folder of (await bus().call(CalendarFoldersList, { userId })).filter((f) => f.ownerUserId === userId)) {
      found.push(...(await objectsIn(userId, folder.folderId)).filter((o) => o.uid === uid).map((o) => ({ ...o, folderId: folder.folderId })));
    }
    return found;
  };
  fixture.copyOf = async (userId, uid) => {
    const copies = await fixture.copiesOf(userId, uid);
    expect(copies).toHaveLength(1);
    return copies[0];
  };
  fixture.inboxOf = async (userId, uid) => {
    const { inbox } = await bus().call(CalendarInboxOpen, { userId });
    return (await objectsIn(userId, inbox.folderId)).filter((o) => o.ical.includes(`UID:${uid}\r\n`)).map((o) => o.ical);
  };
  fixture.methods = async (userId, uid) => (await fixture.inboxOf(userId, uid)).map((m) => /METHOD:(\w+)/.exec(m)![1]).sort();
  return fixture;
}
