import { type ResourceKind } from '../resources/resource';
import { type DavExchange } from '../http/dav-exchange';

/** One HTTP method: the resource kinds it serves and what it does. */
export interface DavMethod {
  readonly method: string;
  readonly kinds: readonly ResourceKind[];
  handle(exchange: DavExchange): Promise<void>;
}

export const DAV_METHODS = Symbol('DAV_METHODS');
