import { z } from 'zod';
import { defineEvent, defineRequest } from './contract';
import { MAX_CALENDAR_ADDRESS_LENGTH } from './principal-address';

/** How many addresses one users.find-by-address takes: with the users answered, well within a bus message. */
export const FIND_BY_ADDRESS_BATCH = 500;

const login = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s:/]+$/, 'a login has no spaces, colons or slashes');
const password = z.string().min(1).max(1024);
const contextId = z.number().int().positive();
const userId = z.number().int().positive();
const tag = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'a tag is letters, digits, dot, dash or underscore');

export interface Context {
  contextId: number;
  name: string;
  tags: string[];
}

export interface User {
  userId: number;
  contextId: number;
  login: string;
  displayName: string;
  /** As stored, or the default `<login>@<davmesh.scheduling.defaultEmailDomain>` when none is; null without either. */
  email: string | null;
  enabled: boolean;
  /** Bumped by every change to the user; caches compare it to drop stale entries. */
  version: number;
}

export const ContextsAdd = defineRequest<{ contextId: number; name?: string; tags?: string[] }, Context>(
  'config.v1.directory.contexts.add',
  z.object({ contextId, name: z.string().min(1).max(256).optional(), tags: z.array(tag).max(64).optional() }).strict(),
);

export const ContextsList = defineRequest<Record<string, never>, Context[]>(
  'config.v1.directory.contexts.list',
  z.object({}).strict(),
  { idempotent: true },
);

export interface UsersAddRequest {
  login: string;
  password: string;
  contextId: number;
  email?: string;
  displayName?: string;
}

export const UsersAdd = defineRequest<UsersAddRequest, User>(
  'config.v1.directory.users.add',
  z
    .object({
      login,
      password,
      contextId,
      email: z.email().max(320).optional(),
      displayName: z.string().min(1).max(256).optional(),
    })
    .strict(),
);

export const UsersGet = defineRequest<{ userId: number }, User>(
  'config.v1.directory.users.get',
  z.object({ userId }).strict(),
  { idempotent: true },
);

export const UsersFindByLogin = defineRequest<{ login: string }, User>(
  'config.v1.directory.users.find-by-login',
  z.object({ login }).strict(),
  { idempotent: true },
);

export const UsersList = defineRequest<{ contextId?: number }, User[]>(
  'config.v1.directory.users.list',
  z.object({ contextId: contextId.optional() }).strict(),
  { idempotent: true },
);

/**
 * The users of a context whose e-mail address is one of `emails` (compared case-insensitively):
 * the address stored, or the default one (`davmesh.scheduling.defaultEmailDomain`) of a user who
 * has none. How a calendar user address (`mailto:`) becomes a user; other contexts are not
 * searched. Without `contextId`, the users of every context (incoming iMIP: a mail names its
 * recipients by address alone).
 */
export const UsersFindByEmail = defineRequest<{ contextId?: number; emails: string[] }, User[]>(
  'config.v1.directory.users.find-by-email',
  z.object({ contextId: contextId.optional(), emails: z.array(z.string().min(1).max(320)).min(1).max(1000) }).strict(),
  { idempotent: true },
);

/** A calendar user address as asked, and the user of the context it names. */
export interface AddressedUser {
  address: string;
  user: User;
}

/**
 * Who each calendar user address (RFC 6638 2.4.1, as an ORGANIZER or ATTENDEE of a meeting
 * writes it) is among the users of one context: `mailto:` their e-mail address as
 * users.find-by-email compares it, or the URL or path of their principal
 * (calendar-user-address-set lists both; the principal layout and the prefixes are the directory's
 * to know: principal-address.ts with com.openexchange.dav.prefixPath and proxyPrefixPath). One
 * entry per address that names a user, the address as asked; other contexts are not searched.
 */
export const UsersFindByAddress = defineRequest<{ contextId: number; addresses: string[] }, AddressedUser[]>(
  'config.v1.directory.users.find-by-address',
  z.object({ contextId, addresses: z.array(z.string().min(1).max(MAX_CALENDAR_ADDRESS_LENGTH)).min(1).max(FIND_BY_ADDRESS_BATCH) }).strict(),
  { idempotent: true },
);

export const UsersSetPassword = defineRequest<{ login: string; password: string }, User>(
  'config.v1.directory.users.set-password',
  z.object({ login, password }).strict(),
);

/** Renames a user or changes their e-mail; announced as `updated`, so the GAL follows on every node. */
export const UsersUpdate = defineRequest<{ login: string; displayName?: string; email?: string | null }, User>(
  'config.v1.directory.users.update',
  z
    .object({ login, displayName: z.string().min(1).max(256).optional(), email: z.email().max(320).nullable().optional() })
    .strict()
    .refine((r) => r.displayName !== undefined || r.email !== undefined, 'give displayName or email'),
);

export const UsersSetEnabled = defineRequest<{ login: string; enabled: boolean }, User>(
  'config.v1.directory.users.set-enabled',
  z.object({ login, enabled: z.boolean() }).strict(),
);

/** Answers the user for valid credentials; `unauthenticated` for any wrong part, always the same message. */
export const Authenticate = defineRequest<{ login: string; password: string }, User>(
  'config.v1.directory.authenticate',
  z.object({ login: z.string().max(1024), password: z.string().max(4096) }).strict(),
  { idempotent: true },
);

export type UserChange = 'added' | 'updated' | 'password-changed' | 'disabled' | 'enabled';

export interface UserChangedEvent {
  userId: number;
  contextId: number;
  login: string;
  change: UserChange;
  version: number;
}

export const UserChanged = defineEvent<UserChangedEvent>(
  'config.v1.directory.events.user-changed',
  z.object({
    userId,
    contextId,
    login,
    change: z.enum(['added', 'updated', 'password-changed', 'disabled', 'enabled']),
    version: z.number().int().nonnegative(),
  }),
);
