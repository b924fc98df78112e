import type request from 'supertest';
import { CalendarFoldersAdminShare, CalendarFoldersList, ContactFoldersAdminShare, ContactFoldersList, UsersAdd, type User } from '@davmesh/contracts';
import { eventIcs, vcard } from '@davmesh/testing';
import { dav } from './dav-request.fixture';
import { type SharedNode } from './shared-node.fixture';

/**
 * The people and resources of the authorisation matrix, on the suite's share of the worker's
 * embedded node: alice (the suite's context) owns calendars and address books, one shared
 * read-only with bob, one read-write, one shared with nobody; bob (the suite's context) owns
 * his own; carol (the suite's context) has no shares; dave (a second context of the suite) owns
 * a calendar and a book of another context. Each logs in as `users[name].login`.
 */
export type Login = 'alice' | 'bob' | 'carol' | 'dave';
export type Protocol = 'caldav' | 'carddav';

/** A resource as bob sees it: what it is to him. */
export type Kind =
  | 'own principal'
  | "another's principal"
  | "another context's principal"
  | 'home'
  | 'own folder'
  | 'shared read-only'
  | 'shared read-write'
  | 'GAL'
  | "another user's folder"
  | "another context's folder";

export const FOLDER_KINDS = ['own folder', 'shared read-only', 'shared read-write', 'GAL', "another user's folder", "another context's folder"] as const;
export type FolderKind = (typeof FOLDER_KINDS)[number];

export type ObjectRole = 'item' | 'overwrite' | 'doomed' | 'movable';
export const OBJECT_ROLES: readonly ObjectRole[] = ['item', 'overwrite', 'doomed', 'movable'];

/** One folder: its path as bob and as its owner address it, its objects, and the data that must not leak. */
export interface Folder {
  owner: Login;
  /** The path bob, carol and dave use: the owner's name for bob's own, `/dav/<protocol>/<folderId>/` for another's. */
  path: string;
  /** The path the owner uses (their MKCALENDAR/MKCOL name). */
  ownerPath: string;
  /** Unique per folder, since contact resource names are unique per context. */
  prefix: string;
  /** Resource names of the objects the world put in: `item` is read, the others are written, deleted, moved. */
  names: Record<ObjectRole, string>;
  /** Its display name, and every UID and text of its objects. */
  secrets: string[];
}

/** One user's requests (DAVx5's user agent unless a header says otherwise). */
export type Send = ReturnType<typeof dav>;

export interface World {
  server: SharedNode;
  users: Record<Login, User>;
  as: Record<Login, Send>;
  folders: Record<Protocol, Record<FolderKind, Folder | undefined>>;
  /** Each requester's second calendar and book: where MOVE out of a folder lands, where MOVE into starts. */
  second: Record<Protocol, Record<Login, string>>;
  principal(login: Login): string;
}

const EXT: Record<Protocol, string> = { caldav: 'ics', carddav: 'vcf' };

export const objectExtension = (protocol: Protocol) => EXT[protocol];

/** A body for a new object of the protocol; `tag` makes UID and text unique. */
export function objectBody(protocol: Protocol, tag: string): { type: string; body: string } {
  return protocol === 'caldav'
    ? { type: 'text/calendar; charset=utf-8', body: eventIcs(`${tag}-uid`, `${tag} text`) }
    : { type: 'text/vcard; charset=utf-8', body: vcard(`${tag}-uid`, `${tag} text`) };
}

function expectStatus(response: request.Response, status: number, what: string): void {
  if (response.status !== status) throw new Error(`setup: ${what} answered ${response.status}: ${response.text}`);
}

const MKCALENDAR = (name: string) =>
  `<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>${name}</D:displayname>` +
  `<C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`;
const MKADDRESSBOOK = (name: string) =>
  `<D:mkcol xmlns:D="DAV:" xmlns:A="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><A:addressbook/></D:resourcetype>` +
  `<D:displayname>${name}</D:displayname></D:prop></D:set></D:mkcol>`;

/** Makes a named calendar or book as its owner and answers its folder id. */
async function makeFolder(world: World, protocol: Protocol, owner: Login, slug: string, displayName: string): Promise<number> {
  const send = world.as[owner];
  const made =
    protocol === 'caldav'
      ? await send('MKCALENDAR', `/dav/caldav/${slug}/`, { 'Content-Type': 'application/xml' }, MKCALENDAR(displayName))
      : await send('MKCOL', `/dav/carddav/${slug}/`, { 'Content-Type': 'application/xml' }, MKADDRESSBOOK(displayName));
  expectStatus(made, 201, `${owner} making ${protocol} ${slug}`);
  const user = world.users[owner];
  const folders =
    protocol === 'caldav'
      ? (await world.server.bus.call(CalendarFoldersList, { userId: user.userId })).map((f) => ({ id: f.folderId, name: f.displayName, mine: f.ownerUserId === user.userId }))
      : (await world.server.bus.call(ContactFoldersList, { userId: user.userId, contextId: user.contextId })).map((f) => ({ id: f.folderId, name: f.displayName, mine: f.ownerUserId === user.userId }));
  const folder = folders.find((f) => f.mine && f.name === displayName);
  if (!folder) throw new Error(`setup: ${displayName} not listed for ${owner}`);
  return folder.id;
}

/** Puts the objects every cell may touch into a folder, as its owner. */
async function fill(world: World, protocol: Protocol, folder: Folder): Promise<void> {
  for (const role of OBJECT_ROLES) {
    const { type, body } = objectBody(protocol, `${folder.prefix}-${role}`);
    const put = await world.as[folder.owner]('PUT', `${folder.ownerPath}${folder.names[role]}`, { 'Content-Type': type }, body);
    expectStatus(put, 201, `${folder.owner} filling ${folder.ownerPath}`);
    folder.secrets.push(`${folder.prefix}-${role}-uid`, `${folder.prefix}-${role} text`);
  }
}

/** Resource names are unique per context for contacts, so each folder's objects carry their own prefix. */
const PREFIX: Record<Protocol, Record<FolderKind, string>> = {
  caldav: { 'own folder': 'cal-own', 'shared read-only': 'cal-ro', 'shared read-write': 'cal-rw', GAL: 'cal-gal', "another user's folder": 'cal-private', "another context's folder": 'cal-foreign' },
  carddav: { 'own folder': 'card-own', 'shared read-only': 'card-ro', 'shared read-write': 'card-rw', GAL: 'card-gal', "another user's folder": 'card-private', "another context's folder": 'card-foreign' },
};

export async function buildWorld(server: SharedNode): Promise<World> {
  const bus = server.bus;
  const elsewhere = await server.addContext('elsewhere');
  const people: [Login, number, string][] = [
    ['alice', server.contextId, 'Alice Anderson'],
    ['bob', server.contextId, 'Bob Brown'],
    ['carol', server.contextId, 'Carol Clark'],
    ['dave', elsewhere, 'Dave Dunn'],
  ];
  const users = {} as Record<Login, User>;
  const as = {} as Record<Login, Send>;
  for (const [name, contextId, displayName] of people) {
    // Logins are unique per node: the context id makes them the suite's own, as SharedNode.addUser does.
    users[name] = await bus.call(UsersAdd, { login: `${name}-${contextId}`, password: `${name}-pw`, contextId, displayName, email: `${name}@example.org` });
    as[name] = dav(server.url, users[name].login, `${name}-pw`);
  }
  const world: World = {
    server,
    users,
    as,
    folders: { caldav: {} as World['folders']['caldav'], carddav: {} as World['folders']['carddav'] },
    second: { caldav: {} as Record<Login, string>, carddav: {} as Record<Login, string> },
    principal: (login) => `/dav/principals/users/${users[login].userId}/`,
  };

  const named: [FolderKind, Login, string, string][] = [
    ['own folder', 'bob', 'bobs-own', 'Bob own'],
    ['shared read-only', 'alice', 'alices-ro', 'Alice readonly'],
    ['shared read-write', 'alice', 'alices-rw', 'Alice readwrite'],
    ["another user's folder", 'alice', 'alices-private', 'Alice private'],
    ["another context's folder", 'dave', 'daves-foreign', 'Dave foreign'],
  ];
  for (const protocol of ['caldav', 'carddav'] as const) {
    for (const [kind, owner, slug, label] of named) {
      const displayName = `${label} ${protocol === 'caldav' ? 'calendar' : 'book'}`;
      const folderId = await makeFolder(world, protocol, owner, slug, displayName);
      const prefix = PREFIX[protocol][kind];
      const folder: Folder = {
        owner,
        path: owner === 'bob' ? `/dav/${protocol}/${slug}/` : `/dav/${protocol}/${folderId}/`,
        ownerPath: `/dav/${protocol}/${slug}/`,
        prefix,
        names: Object.fromEntries(OBJECT_ROLES.map((role) => [role, `${prefix}-${role}.${EXT[protocol]}`])) as Folder['names'],
        secrets: [displayName],
      };
      await fill(world, protocol, folder);
      world.folders[protocol][kind] = folder;
      const rights = kind === 'shared read-only' ? 'read' : kind === 'shared read-write' ? 'write' : undefined;
      if (rights) {
        const share = protocol === 'caldav' ? CalendarFoldersAdminShare : ContactFoldersAdminShare;
        await bus.call(share, { contextId: server.contextId, folderId, granteeUserId: users.bob.userId, rights });
      }
    }
    for (const login of ['bob', 'carol', 'dave'] as const) {
      await makeFolder(world, protocol, login, `${login}s-second`, `${login} second ${protocol === 'caldav' ? 'calendar' : 'book'}`);
      world.second[protocol][login] = `/dav/${protocol}/${login}s-second/`;
    }
  }
  // The context's global address list has no owner and holds one entry per user: alice's stands
  // for all its objects (every write to it is refused).
  const galEntry = `gal-user-${users.alice.userId}.vcf`;
  expectStatus(await as.alice('GET', `/dav/carddav/6/${galEntry}`), 200, "alice reading her GAL entry");
  world.folders.carddav.GAL = {
    owner: 'alice',
    path: '/dav/carddav/6/',
    ownerPath: '/dav/carddav/6/',
    prefix: 'card-gal',
    names: { item: galEntry, overwrite: galEntry, doomed: galEntry, movable: galEntry },
    secrets: ['Global Address List', 'Alice Anderson'],
  };
  world.folders.caldav.GAL = undefined;
  return world;
}
