import { type QName, type XmlElement } from '@davmesh/dav';
import { type DavExchange } from '../http/dav-exchange';
import { type ResourceKind } from '../resources/resource';

/**
 * One REPORT, keyed by its root element; `supported-report-set` answers from these. `read`
 * turns the parsed body into the report's typed request (refusing a body it cannot serve,
 * 400 or 403 with its precondition) before `run` looks anything up.
 */
export interface DavReport<Request = unknown> {
  readonly name: QName;
  readonly kinds: readonly ResourceKind[];
  read(body: XmlElement): Request;
  run(exchange: DavExchange, request: Request): Promise<void>;
}

export const DAV_REPORTS = Symbol('DAV_REPORTS');
