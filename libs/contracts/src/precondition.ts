import { z } from 'zod';
import { DomainException } from './reply';

/**
 * RFC 4918 10.4 `If:` condition on the target resource. `etag` is a bare entity tag, compared
 * strongly; a condition without one never matches (a lock token, since no resource is locked, or
 * a weak tag, which never matches strongly). `not` inverts it.
 */
export interface IfCondition {
  not: boolean;
  etag?: string;
}

/**
 * RFC 9110 13 and RFC 4918 10.4 conditions on one resource, parsed by the edge and decided by the
 * owning service inside the transaction that writes it (`evaluatePrecondition`). Entity tags are
 * bare (no quotes, no `W/`).
 */
export interface Precondition {
  /** `*` or the tags of which one must match strongly (weak ones are left out: they never do). */
  ifMatch?: '*' | string[];
  /** `*` or the tags of which none may match (compared weakly). */
  ifNoneMatch?: '*' | string[];
  /** ISO date: refuse if the resource changed after it (ignored with ifMatch). */
  ifUnmodifiedSince?: string;
  /** ISO date: GET and HEAD answer 304 if the resource has not changed after it (ignored with ifNoneMatch). */
  ifModifiedSince?: string;
  /** The `If:` lists that apply to this resource; the header holds when one of them does (none: it fails). */
  ifLists?: IfCondition[][];
}

/** The resource's current state, as the evaluation needs it; undefined when it does not exist. */
export interface PreconditionState {
  etag: string;
  /** ISO date of the last change, if known. */
  lastModified?: string;
}

export type PreconditionOutcome = 'proceed' | 'failed' | 'not-modified';

const tag = z.string().max(256);
const tags = z.union([z.literal('*'), z.array(tag).max(100)]);
const date = z.iso.datetime();
export const preconditionSchema = z
  .object({
    ifMatch: tags.optional(),
    ifNoneMatch: tags.optional(),
    ifUnmodifiedSince: date.optional(),
    ifModifiedSince: date.optional(),
    ifLists: z.array(z.array(z.object({ not: z.boolean(), etag: tag.optional() }).strict()).max(100)).max(100).optional(),
  })
  .strict() satisfies z.ZodType<Precondition>;

/** HTTP dates have whole seconds: a change within the second named is not after it. */
const changedAfter = (lastModified: string, date: string) => Math.floor(Date.parse(lastModified) / 1000) > Math.floor(Date.parse(date) / 1000);

const matches = (list: '*' | string[], current: PreconditionState | undefined) =>
  current !== undefined && (list === '*' || list.includes(current.etag));

const listHolds = (list: IfCondition[], current: PreconditionState | undefined) =>
  list.every((c) => (c.etag !== undefined && c.etag === current?.etag) !== c.not);

/**
 * RFC 9110 13.2.2 in its order, after RFC 4918's `If:`. `read` is GET or HEAD: a failed
 * If-None-Match or If-Modified-Since is then `not-modified` (304), and If-Modified-Since counts.
 */
export function evaluatePrecondition(precondition: Precondition | undefined, current: PreconditionState | undefined, read = false): PreconditionOutcome {
  if (!precondition) return 'proceed';
  const { ifMatch, ifNoneMatch, ifUnmodifiedSince, ifModifiedSince, ifLists } = precondition;
  if (ifLists && !ifLists.some((list) => listHolds(list, current))) return 'failed';
  if (ifMatch !== undefined) {
    if (!matches(ifMatch, current)) return 'failed';
  } else if (ifUnmodifiedSince !== undefined && current?.lastModified !== undefined && changedAfter(current.lastModified, ifUnmodifiedSince)) {
    return 'failed';
  }
  if (ifNoneMatch !== undefined) {
    if (matches(ifNoneMatch, current)) return read ? 'not-modified' : 'failed';
  } else if (read && ifModifiedSince !== undefined && current?.lastModified !== undefined && !changedAfter(current.lastModified, ifModifiedSince)) {
    return 'not-modified';
  }
  return 'proceed';
}

/** For a write, in the writer's transaction: `precondition-failed` (412) unless the conditions hold. */
export function requirePrecondition(precondition: Precondition | undefined, current: PreconditionState | undefined): void {
  if (evaluatePrecondition(precondition, current) !== 'proceed') {
    throw new DomainException('precondition-failed', current ? 'the resource does not meet the request conditions' : 'the resource does not exist');
  }
}
