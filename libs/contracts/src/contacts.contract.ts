import { z } from 'zod';
import { type DeadProperty } from './calendar.contract';
import { defineEvent, defineRequest } from './contract';
import { preconditionSchema, type Precondition } from './precondition';

/** The global address list of every context has this folder id. */
export const GAL_FOLDER_ID = 6;

export type FolderRights = 'read' | 'write';
export type ContactFolderKind = 'personal' | 'custom' | 'gal';

export interface ContactFolder {
  folderId: number;
  contextId: number;
  kind: ContactFolderKind;
  /** null for the global address list. */
  ownerUserId: number | null;
  /** The path segment a client chose with MKCOL; null for folders addressed by id. */
  slug: string | null;
  displayName: string;
  description: string | null;
  /** What the asking user may do in it. */
  rights: FolderRights;
  /** Bumped in the writer's transaction by every change to the folder's contents. */
  revision: number;
  /** Properties clients set that the server does not compute (RFC 4918 dead properties), in (ns, name) order. */
  deadProperties: DeadProperty[];
}

export interface ContactObject {
  folderId: number;
  /** The resource name (last path segment, e.g. `abc.vcf`); unique within a context. */
  name: string;
  uid: string;
  /** Bare, as every ETag in the contracts; the edge quotes it. */
  etag: string;
  /** ISO date of the last change (DAV:getlastmodified, If-Unmodified-Since). */
  lastModified: string;
  /** The stored vCard, present when asked for. */
  vcard?: string;
}

export interface ContactChange {
  folderId: number;
  name: string;
  /** undefined when deleted. */
  etag?: string;
  /** ISO date of the change; undefined when deleted. */
  lastModified?: string;
}

/** A position in the change log of a set of folders: revision per folder. */
export type SyncPosition = Record<string, number>;

export type TextMatchCollation = 'i;unicode-casemap' | 'i;ascii-casemap' | 'i;octet';
export type TextMatchType = 'equals' | 'contains' | 'starts-with' | 'ends-with';

export interface TextMatch {
  value: string;
  collation: TextMatchCollation;
  matchType: TextMatchType;
  negate: boolean;
}

export interface ParamFilter {
  name: string;
  isNotDefined: boolean;
  textMatch?: TextMatch;
}

export interface PropFilter {
  name: string;
  test: 'anyof' | 'allof';
  isNotDefined: boolean;
  textMatches: TextMatch[];
  paramFilters: ParamFilter[];
}

/** RFC 6352 10.5 CARDDAV:filter as a value. */
export interface AddressbookFilter {
  test: 'anyof' | 'allof';
  propFilters: PropFilter[];
}

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; absent on the last one. */
  cursor?: string;
}

const userId = z.number().int().positive();
const contextId = z.number().int().positive();
const folderId = z.number().int().positive();
const folderIds = z.array(folderId).max(10_000);
const name = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/]+$/, 'a resource name has no slash');
const cursor = z.string().max(1024);
const limit = z.number().int().positive().max(1000);
const caller = { userId, contextId };
const deadName = { ns: z.string().max(512), name: z.string().min(1).max(256) };
const deadProperties = z.array(z.object({ ...deadName, xml: z.string().max(65_536) }).strict()).max(100);

const textMatch = z
  .object({
    value: z.string().max(4096),
    collation: z.enum(['i;unicode-casemap', 'i;ascii-casemap', 'i;octet']),
    matchType: z.enum(['equals', 'contains', 'starts-with', 'ends-with']),
    negate: z.boolean(),
  })
  .strict();
const filter = z
  .object({
    test: z.enum(['anyof', 'allof']),
    propFilters: z
      .array(
        z
          .object({
            name: z.string().min(1).max(128),
            test: z.enum(['anyof', 'allof']),
            isNotDefined: z.boolean(),
            textMatches: z.array(textMatch).max(64),
            paramFilters: z
              .array(z.object({ name: z.string().min(1).max(128), isNotDefined: z.boolean(), textMatch: textMatch.optional() }).strict())
              .max(64),
          })
          .strict(),
      )
      .max(64),
  })
  .strict();

/** The folders the user sees: personal (created on first use), own, shared with them, and the context's global address list. */
export const ContactFoldersList = defineRequest<{ userId: number; contextId: number }, ContactFolder[]>(
  'contacts.v1.folders.list',
  z.object(caller).strict(),
  { idempotent: true },
);

export const ContactFoldersCreate = defineRequest<
  { userId: number; contextId: number; slug: string; displayName?: string; description?: string; dead?: DeadProperty[] },
  ContactFolder
>(
  'contacts.v1.folders.create',
  z
    .object({
      ...caller,
      slug: name,
      displayName: z.string().max(1024).optional(),
      description: z.string().max(4096).optional(),
      dead: deadProperties.optional(),
    })
    .strict(),
);

/** Changes properties of a folder the caller owns, all in one transaction (PROPPATCH is all or nothing). */
export const ContactFoldersUpdate = defineRequest<
  {
    userId: number;
    contextId: number;
    folderId: number;
    displayName?: string;
    description?: string | null;
    setDead?: DeadProperty[];
    removeDead?: { ns: string; name: string }[];
  },
  ContactFolder
>(
  'contacts.v1.folders.update',
  z
    .object({
      ...caller,
      folderId,
      displayName: z.string().min(1).max(1024).optional(),
      description: z.string().max(4096).nullable().optional(),
      setDead: deadProperties.optional(),
      removeDead: z.array(z.object(deadName).strict()).max(100).optional(),
    })
    .strict(),
);

export const ContactFoldersDelete = defineRequest<{ userId: number; contextId: number; folderId: number }, { deleted: true }>(
  'contacts.v1.folders.delete',
  z.object({ ...caller, folderId }).strict(),
);

/** Grants another user of the same context read or write access to a folder the caller owns. */
export const ContactFoldersShare = defineRequest<
  { userId: number; contextId: number; folderId: number; granteeUserId: number; rights: FolderRights | 'none' },
  { folderId: number; granteeUserId: number; rights: FolderRights | 'none' }
>(
  'contacts.v1.folders.share',
  z.object({ ...caller, folderId, granteeUserId: userId, rights: z.enum(['read', 'write', 'none']) }).strict(),
);

/**
 * The operator's share (CLI `davmesh folder share|unshare`): like `contacts.v1.folders.share`, but
 * acting as the folder's owner, whom the service finds from the folder id. `rights: "none"` removes
 * the grant. `not-found` for an unknown folder, `forbidden` for the global address list (it has no
 * owner), `bad-request` when the grantee is the owner.
 */
export const ContactFoldersAdminShare = defineRequest<
  { contextId: number; folderId: number; granteeUserId: number; rights: FolderRights | 'none' },
  { folderId: number; ownerUserId: number; granteeUserId: number; rights: FolderRights | 'none' }
>(
  'contacts.v1.admin.folders.share',
  z.object({ contextId, folderId, granteeUserId: userId, rights: z.enum(['read', 'write', 'none']) }).strict(),
);

/** Objects of the folders in (folderId, name) order, a page at a time. */
export const ContactObjectsList = defineRequest<
  { userId: number; contextId: number; folderIds: number[]; withData: boolean; cursor?: string; limit?: number },
  Page<ContactObject>
>('contacts.v1.objects.list', z.object({ ...caller, folderIds, withData: z.boolean(), cursor: cursor.optional(), limit: limit.optional() }).strict(), { idempotent: true });

/** The named objects found in any of the folders, with their vCards; names not found are left out. */
export const ContactObjectsGet = defineRequest<
  { userId: number; contextId: number; folderIds: number[]; names: string[] },
  ContactObject[]
>('contacts.v1.objects.get', z.object({ ...caller, folderIds, names: z.array(name).max(200) }).strict(), { idempotent: true });

/** Objects matching an addressbook-query filter, a page at a time; the service reads the folder in batches. */
export const ContactObjectsQuery = defineRequest<
  { userId: number; contextId: number; folderIds: number[]; filter: AddressbookFilter; cursor?: string; limit?: number },
  Page<ContactObject>
>('contacts.v1.objects.query', z.object({ ...caller, folderIds, filter, cursor: cursor.optional(), limit: limit.optional() }).strict(), { idempotent: true });

export interface ContactPutRequest {
  userId: number;
  contextId: number;
  /** Where a new object goes. */
  folderId: number;
  name: string;
  vcard: string;
  /** When set, an existing object of that name in any of these folders is the one replaced (the aggregated collection). */
  replaceIn?: number[];
  /** Write only if these conditions hold for the object of that name (decided in the writer's transaction). */
  precondition?: Precondition;
  /** Refuse vCards larger than this many bytes. */
  maxBytes?: number;
  /** Refuse longer parameter or property values (server-wide davmesh.limits.*; their defaults when left out). */
  limits?: { parameterLength: number; propertyLength: number };
}

export interface ContactPutResult {
  folderId: number;
  name: string;
  etag: string;
  created: boolean;
  revision: number;
}

/**
 * Stores a vCard. Refusals carry `details.condition`: `need-privileges` (forbidden),
 * `valid-address-data`, `max-resource-size`, `supported-address-data` (bad-request),
 * `no-uid-conflict` with `details.href` (conflict), and `precondition-failed` for a failed If-Match/If-None-Match.
 */
export const ContactObjectsPut = defineRequest<ContactPutRequest, ContactPutResult>(
  'contacts.v1.objects.put',
  z
    .object({
      ...caller,
      folderId,
      name,
      vcard: z.string().max(10 * 1024 * 1024),
      replaceIn: folderIds.optional(),
      precondition: preconditionSchema.optional(),
      maxBytes: z.number().int().positive().optional(),
      limits: z.object({ parameterLength: z.number().int().positive(), propertyLength: z.number().int().positive() }).strict().optional(),
    })
    .strict(),
);

export const ContactObjectsDelete = defineRequest<
  { userId: number; contextId: number; folderIds: number[]; name: string; precondition?: Precondition },
  { folderId: number; revision: number }
>('contacts.v1.objects.delete', z.object({ ...caller, folderIds, name, precondition: preconditionSchema.optional() }).strict());

export const ContactObjectsMove = defineRequest<
  { userId: number; contextId: number; folderIds: number[]; name: string; toFolderId: number; toName: string; overwrite: boolean; precondition?: Precondition },
  ContactPutResult
>(
  'contacts.v1.objects.move',
  z
    .object({ ...caller, folderIds, name, toFolderId: folderId, toName: name, overwrite: z.boolean(), precondition: preconditionSchema.optional() })
    .strict(),
);

/**
 * What changed in the folders since a position (absent: everything), oldest first, at most `limit` changes;
 * `position` is where the next sync starts; `truncated` says more changes wait.
 * `not-found` with `details.condition = 'valid-sync-token'` when the position names a folder no longer synced.
 */
export const ContactSyncChanges = defineRequest<
  { userId: number; contextId: number; folderIds: number[]; since?: SyncPosition; limit?: number },
  { changes: ContactChange[]; position: SyncPosition; truncated: boolean }
>(
  'contacts.v1.sync.changes',
  z.object({ ...caller, folderIds, since: z.record(z.string(), z.number().int().nonnegative()).optional(), limit: limit.optional() }).strict(),
  { idempotent: true },
);

export interface ContactFolderChangedEvent {
  contextId: number;
  folderId: number;
  revision: number;
  /** Set when the folder itself was made, changed, shared or deleted: whose it is. */
  ownerUserId?: number;
  /** Set when a share changed: the user it was granted to or taken from. */
  granteeUserId?: number;
  /** Set when only the folder's contacts changed (written, deleted, moved): as in `CalendarFolderChangedEvent`. */
  objectsOnly?: true;
}

/** Published after a commit that changed a folder, its contents or its shares, made it or deleted it. */
export const ContactFolderChanged = defineEvent<ContactFolderChangedEvent>(
  'contacts.v1.events.folder-changed',
  z.object({ contextId, folderId, revision: z.number().int().nonnegative(), ownerUserId: userId.optional(), granteeUserId: userId.optional(), objectsOnly: z.literal(true).optional() }),
);
