import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Precondition, type User } from '@davmesh/contracts';
import { type Resource } from '../resources/resource';

/** One authenticated request on a resolved resource, as a method handler sees it. */
export interface DavExchange {
  request: IncomingMessage;
  response: ServerResponse;
  resource: Resource;
  user: User;
  /** com.openexchange.dav.prefixPath as hrefs are written: '' or '/dav'. */
  prefix: string;
  /** The conditional headers (RFC 9110 13, RFC 4918 If) on the resource, if any. */
  precondition?: Precondition;
}

/** Thrown by a method handler to answer with a status and, optionally, a DAV:error body. */
export class DavHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DavHttpError';
  }
}
