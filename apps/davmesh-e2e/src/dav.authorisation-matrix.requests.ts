import type request from 'supertest';
import { objectBody, objectExtension, type FolderKind, type Kind, type Login, type Protocol, type World } from './dav.authorisation-matrix.world';

/** Where a cell's resource lives: the principals are one tree for both protocols. */
export type Area = Protocol | 'principals';

export const COLLECTION_METHODS = [
  'PROPFIND depth 0',
  'PROPFIND depth 1',
  'PROPPATCH',
  'PUT new inside',
  'MKCOL inside',
  'REPORT sync-collection',
  'DELETE',
] as const;

export const FOLDER_METHODS = [
  'PROPFIND depth 0',
  'PROPFIND depth 1',
  'GET object',
  'PROPFIND object',
  'REPORT multiget',
  'REPORT query',
  'REPORT sync-collection',
  'PUT new inside',
  'PUT overwrite object',
  'PROPPATCH',
  'MKCOL inside',
  'MOVE object out of',
  'MOVE object into',
  'DELETE object',
  'DELETE',
] as const;

type CollectionMethod = (typeof COLLECTION_METHODS)[number];
/** The methods that act on an object inside a folder, or on the folder through its objects. */
type ObjectMethod = Exclude<(typeof FOLDER_METHODS)[number], CollectionMethod>;
export type Method = CollectionMethod | ObjectMethod;

const isCollectionMethod = (method: Method): method is CollectionMethod => (COLLECTION_METHODS as readonly string[]).includes(method);

export const RENAMED = 'Renamed by a cell';
export const REWRITTEN = 'rewritten by a cell';

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const PROPS = '<D:prop><D:displayname/><D:getetag/><D:resourcetype/><D:current-user-privilege-set/></D:prop>';
const PROPFIND = `<D:propfind xmlns:D="DAV:">${PROPS}</D:propfind>`;
const PROPPATCH = `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>${RENAMED}</D:displayname></D:prop></D:set></D:propertyupdate>`;
const SYNC = '<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>';
const CAL = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"';
const CARD = 'xmlns:D="DAV:" xmlns:A="urn:ietf:params:xml:ns:carddav"';

export const multigetBody = (protocol: Protocol, hrefs: string[]) =>
  protocol === 'caldav'
    ? `<C:calendar-multiget ${CAL}><D:prop><D:getetag/><C:calendar-data/></D:prop>${hrefs.map((h) => `<D:href>${h}</D:href>`).join('')}</C:calendar-multiget>`
    : `<A:addressbook-multiget ${CARD}><D:prop><D:getetag/><A:address-data/></D:prop>${hrefs.map((h) => `<D:href>${h}</D:href>`).join('')}</A:addressbook-multiget>`;

const queryBody = (protocol: Protocol) =>
  protocol === 'caldav'
    ? `<C:calendar-query ${CAL}><D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter></C:calendar-query>`
    : `<A:addressbook-query ${CARD}><D:prop><D:getetag/><A:address-data/></D:prop><A:filter><A:prop-filter name="FN"/></A:filter></A:addressbook-query>`;

export const syncBody = SYNC;

const mkcol = (protocol: Area) =>
  protocol === 'caldav'
    ? ['MKCALENDAR', `<C:mkcalendar ${CAL}><D:set><D:prop><D:displayname>Made by a cell</D:displayname></D:prop></D:set></C:mkcalendar>`]
    : [
        'MKCOL',
        `<D:mkcol ${CARD}><D:set><D:prop><D:resourcetype><D:collection/><A:addressbook/></D:resourcetype><D:displayname>Made by a cell</D:displayname></D:prop></D:set></D:mkcol>`,
      ];

/** The path of a principal, home or folder kind, as `who` addresses it. */
export function targetPath(world: World, area: Area, kind: Kind): string {
  if (kind === 'own principal') return world.principal('bob');
  if (kind === "another's principal") return world.principal('alice');
  if (kind === "another context's principal") return world.principal('dave');
  if (area === 'principals') throw new Error(`${kind} is no principal`);
  if (kind === 'home') return `/dav/${area}/`;
  return world.folders[area][kind]!.path;
}

/** The names one cell makes, unique per area, kind and requester (contact names are unique per context). */
export function cellNames(area: Area, kind: Kind, who: Login) {
  const tag = `${area === 'caldav' ? 'cal' : 'card'}-${slug(kind)}-${who}`;
  const ext = area === 'carddav' ? objectExtension('carddav') : objectExtension('caldav');
  return {
    tag,
    created: `new-${tag}.${ext}`,
    collection: `made-${tag}/`,
    movedOut: `moved-out-${tag}.${ext}`,
    incoming: `incoming-${tag}.${ext}`,
    movedIn: `moved-in-${tag}.${ext}`,
  };
}

/** What a cell needs in place before it is tried: MOVE into moves an object of the requester's second folder. */
export async function prepare(world: World, area: Area, kind: Kind, method: Method, who: Login): Promise<void> {
  if (method !== 'MOVE object into' || area === 'principals') return;
  const names = cellNames(area, kind, who);
  const { type, body } = objectBody(area, `incoming-${names.tag}`);
  const put = await world.as[who]('PUT', `${world.second[area][who]}${names.incoming}`, { 'Content-Type': type }, body);
  if (put.status !== 201) throw new Error(`MOVE into: the source could not be made: ${put.status}`);
}

/** Sends one cell's request as `who`. */
export function attempt(world: World, area: Area, kind: Kind, method: Method, who: Login): request.Test {
  if (!isCollectionMethod(method)) {
    if (area === 'principals' || !isFolderKind(kind)) throw new Error(`${method} needs a folder, not ${kind}`);
    return attemptOnObject(world, area, kind, method, who);
  }
  const send = world.as[who];
  const path = targetPath(world, area, kind);
  const names = cellNames(area, kind, who);
  switch (method) {
    case 'PROPFIND depth 0':
      return send('PROPFIND', path, { ...XML, Depth: '0' }, PROPFIND);
    case 'PROPFIND depth 1':
      return send('PROPFIND', path, { ...XML, Depth: '1' }, PROPFIND);
    case 'PROPPATCH':
      return send('PROPPATCH', path, XML, PROPPATCH);
    case 'PUT new inside': {
      const { type, body } = objectBody(area === 'carddav' ? 'carddav' : 'caldav', `new-${names.tag}`);
      return send('PUT', `${path}${names.created}`, { 'Content-Type': type }, body);
    }
    case 'MKCOL inside': {
      const [verb, body] = mkcol(area);
      return send(verb, `${path}${names.collection}`, XML, body);
    }
    case 'REPORT sync-collection':
      return send('REPORT', path, XML, SYNC);
    case 'DELETE':
      return send('DELETE', path);
  }
}

function attemptOnObject(world: World, area: Protocol, kind: FolderKind, method: ObjectMethod, who: Login): request.Test {
  const send = world.as[who];
  const folder = world.folders[area][kind]!;
  const path = folder.path;
  const names = cellNames(area, kind, who);
  switch (method) {
    case 'GET object':
      return send('GET', `${path}${folder.names.item}`);
    case 'PROPFIND object':
      return send('PROPFIND', `${path}${folder.names.item}`, { ...XML, Depth: '0' }, PROPFIND);
    case 'REPORT multiget':
      return send('REPORT', path, { ...XML, Depth: '1' }, multigetBody(area, [`${path}${folder.names.item}`]));
    case 'REPORT query':
      return send('REPORT', path, { ...XML, Depth: '1' }, queryBody(area));
    case 'PUT overwrite object': {
      const { type, body } = objectBody(area, `${folder.prefix}-overwrite`);
      return send('PUT', `${path}${folder.names.overwrite}`, { 'Content-Type': type }, body.replace(' text', ` ${REWRITTEN}`));
    }
    case 'MOVE object out of':
      return send('MOVE', `${path}${folder.names.movable}`, { Destination: `${world.server.url}${world.second[area][who]}${names.movedOut}` });
    case 'MOVE object into':
      return send('MOVE', `${world.second[area][who]}${names.incoming}`, { Destination: `${world.server.url}${path}${names.movedIn}` });
    case 'DELETE object':
      return send('DELETE', `${path}${folder.names.doomed}`);
  }
}

export function isFolderKind(kind: Kind): kind is FolderKind {
  return !kind.includes('principal') && kind !== 'home';
}

const slug = (kind: Kind) => kind.replace(/[^a-z]+/gi, '-').replace(/-$/, '').toLowerCase();
