import { type QName, type XmlElement } from '@davmesh/dav';
import { type DavExchange } from '../http/dav-exchange';
import { type ResourceKind } from '../resources/resource';

/** One REPORT, keyed by its root element; `supported-report-set` answers from these. */
export interface DavReport {
  readonly name: QName;
  readonly kinds: readonly ResourceKind[];
  run(exchange: DavExchange, body: XmlElement): Promise<void>;
}

export const DAV_REPORTS = Symbol('DAV_REPORTS');
