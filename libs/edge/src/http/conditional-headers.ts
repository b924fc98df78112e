import { type IncomingMessage } from 'node:http';
import { evaluatePrecondition, type Precondition } from '@davmesh/contracts';
import { parsePrecondition } from '@davmesh/dav';
import { localPath } from '../resources/destination';
import { resolveResource, type Resource } from '../resources/resource';
import { DavHttpError, type DavExchange } from './dav-exchange';

/** ETags are bare in every contract; HTTP and DAV:getetag carry them quoted (strong). */
export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}

const REPRESENTATION = /;as=[a-z0-9]+$/;

/**
 * The ETag (bare) of a converted representation (a vCard 3.0 served as 4.0): the stored tag with
 * the variant appended. The conversion is deterministic, so these bytes change exactly when the
 * stored ones do, and the tag never claims to name bytes it does not name.
 */
export function representationEtag(storedEtag: string, variant: string): string {
  return `${storedEtag};as=${variant}`;
}

/**
 * The request's conditions, for the service that writes the resource: a representation's tag
 * stands for the stored resource's tag, which the service compares (stored tags have no `;`).
 */
export function writePrecondition(exchange: DavExchange): Precondition | undefined {
  const stored = (tags: '*' | string[] | undefined) => (Array.isArray(tags) ? tags.map((t) => t.replace(REPRESENTATION, '')) : tags);
  const { precondition } = exchange;
  if (!precondition) return undefined;
  return {
    ...precondition,
    ...(precondition.ifMatch && { ifMatch: stored(precondition.ifMatch) }),
    ...(precondition.ifNoneMatch && { ifNoneMatch: stored(precondition.ifNoneMatch) }),
    ...(precondition.ifLists && { ifLists: precondition.ifLists.map((list) => list.map((c) => (c.etag ? { ...c, etag: c.etag.replace(REPRESENTATION, '') } : c))) }),
  };
}

/** The request's conditional headers on its target (malformed: PreconditionSyntaxError, answered 400). */
export function requestPrecondition(request: IncomingMessage, target: Resource, prefix: string, proxyPrefix?: string): Precondition | undefined {
  return parsePrecondition(request.headers, (tag) => {
    try {
      return resolveResource(localPath(tag, request.headers.host), prefix, proxyPrefix)?.path === target.path;
    } catch (error) {
      // A tag on another server names none of our resources.
      if (error instanceof DavHttpError && error.status === 502) return false;
      throw error;
    }
  });
}

export interface Representation {
  /** Bare. */
  etag: string;
  /** ISO date. */
  lastModified?: string;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** GET or HEAD of a readable resource: its validators, then 304 or 412 as its conditions say, else the body. */
export function sendRepresentation(exchange: DavExchange, representation: Representation): void {
  const { response, request, precondition } = exchange;
  const { etag, lastModified, contentType, body, headers = {} } = representation;
  response.setHeader('ETag', quoteEtag(etag));
  if (lastModified) response.setHeader('Last-Modified', new Date(lastModified).toUTCString());
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  const outcome = evaluatePrecondition(precondition, { etag, lastModified }, true);
  if (outcome === 'failed') throw new DavHttpError(412, 'the resource does not meet the request conditions');
  if (outcome === 'not-modified') {
    response.statusCode = 304;
    response.end();
    return;
  }
  response.statusCode = 200;
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Length', String(Buffer.byteLength(body)));
  response.end(request.method === 'HEAD' ? undefined : body);
}
