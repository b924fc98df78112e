import { type IncomingMessage } from 'node:http';
import { type EffectiveConfig, type SyncPosition, type User } from '@davmesh/contracts';
import { type PropfindRequest, type QName, type XmlElement } from '@davmesh/dav';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { type Representation } from '../http/conditional-headers';
import { type CollectionUpdate } from '../properties/collection-update';
import { type PropertyContext } from '../properties/property';
import { type Resource, type ResourceKind } from './resource';

/**
 * What the WebDAV methods, written once, need of a protocol (CalDAV, CardDAV). Each protocol
 * is an adapter implementing these capabilities over its service on the bus, as Xandikos'
 * caldav.py and carddav.py register on webdav.py; the methods never name a protocol.
 */
export interface DavAdapter {
  readonly members: MemberStore;
  readonly collections: CollectionStore;
}

export const DAV_ADAPTERS = Symbol('DAV_ADAPTERS');

export type MemberResource = Extract<Resource, { kind: 'contact' | 'calendar-object' | 'notification' }>;
export type MemberKind = MemberResource['kind'];

/** A member stored by PUT or MOVE: whether it is new, and its ETag (bare). */
export interface StoredMember {
  created: boolean;
  etag: string;
  /**
   * False when the service stored other bytes than the body (CalDAV scheduling): the answer
   * carries no ETag (RFC 4791 5.3.4), so the client reads the member again.
   */
  asSent?: boolean;
  /** Protocol headers of the answer (CalDAV's Schedule-Tag). */
  headers?: Record<string, string>;
}

/** What a PUT body must be: refused with the protocol's precondition (403) otherwise. */
export interface MemberBodyRules {
  accepts(request: IncomingMessage): boolean;
  /** supported-calendar-data / supported-address-data. */
  unsupported: QName;
  maxBytes: number;
  /** max-resource-size, in the protocol's namespace. */
  tooLarge: QName;
}

/** The members of a protocol's collections (calendar objects, contacts): GET, PUT, DELETE and MOVE. */
export interface MemberStore {
  readonly kind: MemberKind;
  /** The text of a 404 on a member (`no such contact`) and of a Destination naming no member. */
  readonly messages: { notFound: string; badDestination: string };
  readonly body: MemberBodyRules;
  /** The member as GET answers it; undefined when it does not exist. */
  read(exchange: DavExchange): Promise<Representation | undefined>;
  /**
   * Looks up the member's collection (404 when the user has none of that name) and answers
   * how to store a body there, under the request's conditions.
   */
  writer(exchange: DavExchange, member: MemberResource): Promise<(body: string) => Promise<StoredMember>>;
  delete(exchange: DavExchange, member: MemberResource): Promise<void>;
  move(exchange: DavExchange, member: MemberResource, destination: MemberResource, overwrite: boolean): Promise<StoredMember>;
}

/** One member with the property context a REPORT or PROPFIND describes it in. */
export interface DescribedMember {
  name: string;
  context: PropertyContext;
}

/** What a REPORT body's DAV:prop asks of each member, as its protocol reads it (the calendar-data or address-data wanted). */
export interface MemberProps {
  propfind: PropfindRequest;
  /** Whether the body asks for the members' data. */
  wantsData: boolean;
}

/** A collection's members as a REPORT asks for them. */
export interface MemberQuery {
  /** The named members with their data in the shape asked, a bus reply's worth at a time. */
  pages(names: string[]): AsyncIterable<DescribedMember[]>;
}

/** The changes of a collection since a sync token, in the order they are answered. */
export interface SyncChanges {
  /**
   * A present member with its context, described from the change list unless its data is read; a
   * removed one without. Built when the answer needs them: an initial sync whose members' XML is
   * kept (`membersKey`) needs none.
   */
  changes(): { name: string; context?: PropertyContext }[];
  /** More changes than the limit: the answer ends with 507 and `syncToken` to go on from. */
  truncated: boolean;
  syncToken: string;
  /** When the changes are the collection's whole member listing (an initial sync): what its members' properties depend on (`renderedMembersKey`). */
  membersKey?: string;
}

export interface SyncQuery extends MemberQuery {
  /**
   * At most `limit` changes from a change list; an initial sync (`listingLimit` given) may instead
   * answer every member from the collection's member listing when it holds no more than `listingLimit`.
   */
  changes(limit: number, listingLimit?: number): Promise<SyncChanges>;
}

/** One collection a REPORT runs on, as this request's user sees it. */
export interface MemberCollection<Q extends MemberQuery = MemberQuery, P extends MemberProps = MemberProps> {
  href: string;
  config: EffectiveConfig;
  /** The members described with the props the protocol read from the body (`CollectionStore.readProps`). */
  query(props: P): Q;
}

/**
 * The collections of a protocol (calendars, address books): DELETE, multiget and sync-collection.
 * `P` is what the protocol reads of a REPORT's DAV:prop.
 */
export interface CollectionStore<P extends MemberProps = MemberProps> {
  /** The collection kinds REPORTs run on. */
  readonly kinds: readonly ResourceKind[];
  /** The protocol's multiget REPORT (RFC 4791 7.9, RFC 6352 8.7). */
  readonly multiget: QName;
  /** A REPORT body's DAV:prop as this protocol reads it; may refuse (an unsupported calendar-data). */
  readProps(body: XmlElement): P;
  /** The collection kinds DELETE removes. */
  readonly deletable: readonly ResourceKind[];
  delete(exchange: DavExchange): Promise<void>;
  /** The collection kinds PROPPATCH changes. */
  readonly updatable: readonly ResourceKind[];
  /** The request's collection, listed afresh, for PROPPATCH: where it answers, and how an accepted update is applied (in one transaction). */
  forUpdate(exchange: DavExchange): Promise<{ href: string; apply(update: CollectionUpdate): Promise<void> }>;
  /** The collection kind MKCOL (RFC 5689) makes, and the other methods that make one (MKCALENDAR). */
  readonly creatable: ResourceKind;
  readonly creationMethods: readonly string[];
  /** What an extended MKCOL's DAV:resourcetype must be: the protocol's (a calendar home holds calendars only), or none it refuses. */
  readonly mkcolResourcetype: 'required' | 'optional';
  /**
   * Lists afresh and refuses a name taken (405); answers how to make the collection from an
   * accepted body, and the headers of its 201.
   */
  forCreation(exchange: DavExchange): Promise<(update: CollectionUpdate) => Promise<Record<string, string>>>;
  /** The request's collection (404 when the user has none of that name). */
  open(exchange: DavExchange): Promise<MemberCollection<MemberQuery, P>>;
  /** The request's collection for a sync from `since` (undefined: initial); DAV:valid-sync-token for a token not of it. */
  openForSync(exchange: DavExchange, since: SyncPosition | undefined): Promise<MemberCollection<SyncQuery, P>>;
}

/** The adapter whose members the resource is; 405 when none (the dispatcher offers the method only on their kinds). */
export function memberStoreOf(adapters: readonly DavAdapter[], resource: Resource): { store: MemberStore; member: MemberResource } {
  const store = adapters.find((a) => a.members.kind === resource.kind)?.members;
  if (!store || !isMember(resource)) throw new DavHttpError(405, 'not a member of a collection');
  return { store, member: resource };
}

function isMember(resource: Resource): resource is MemberResource {
  return resource.kind === 'contact' || resource.kind === 'calendar-object' || resource.kind === 'notification';
}

/** A resource as PROPFIND describes it: its own properties and, with Depth 1, its members', page by page. */
export interface PropfindNode {
  self: PropertyContext;
  members?: () => AsyncIterable<PropertyContext[]>;
  /** What the members' properties, as this user is shown them, depend on; absent when they may not be kept. */
  membersKey?: string;
}

/**
 * A members key for a collection whose member listing is named by `listingKey`: the members'
 * properties depend on that listing, the user, the collection's href and the user's rights on it.
 */
export function renderedMembersKey(user: User, collection: { href: string; writable: boolean }, listingKey: string | undefined): string | undefined {
  return listingKey && `${listingKey} ${user.userId} ${collection.writable ? 'w' : 'r'} ${collection.href}`;
}

/** One part of the namespace (the principals, CalDAV's, CardDAV's) as PROPFIND walks it. */
export interface ResourceTree {
  readonly kinds: readonly ResourceKind[];
  /**
   * Called before the PROPFIND body is read; answers how to find the request's node after it, from
   * what the body asks (CalDAV looks up the people CS:invite names only when it is asked for).
   * CalDAV lists the calendars here, so a user without CalDAV gets 403 before a body is judged.
   */
  open(exchange: DavExchange): Promise<(propfind: PropfindRequest) => Promise<PropfindNode>>;
}

export const DAV_TREES = Symbol('DAV_TREES');

/** What takes a POST (RFC 6638's schedule outbox): the resource kinds it serves and how it answers. */
export interface PostTarget {
  readonly kinds: readonly ResourceKind[];
  receive(exchange: DavExchange): Promise<void>;
}

export const DAV_POST_TARGETS = Symbol('DAV_POST_TARGETS');

export async function* onePage<T>(items: T[]): AsyncIterable<T[]> {
  yield items;
}

/** Every item of the pages, collected: for a few (GET, a rendered href). */
export async function collectPages<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...page);
  return items;
}
