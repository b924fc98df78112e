import { Inject, Injectable } from '@nestjs/common';
import { qnameKey, type QName } from '@davmesh/dav';
import { type ResourceKind } from '../resources/resource';
import { DAV_REPORTS, type DavReport } from './dav-report';

@Injectable()
export class ReportRegistry {
  /** A name may have several reports, one per set of resource kinds (sync-collection on address books and calendars). */
  private readonly byName = new Map<string, DavReport[]>();

  constructor(@Inject(DAV_REPORTS) reports: DavReport[]) {
    for (const report of reports) this.byName.set(qnameKey(report.name), [...(this.byName.get(qnameKey(report.name)) ?? []), report]);
  }

  find(name: QName, kind: ResourceKind): DavReport | undefined {
    return this.byName.get(qnameKey(name))?.find((r) => r.kinds.includes(kind));
  }

  namesFor(kind: ResourceKind): QName[] {
    return [...this.byName.values()].filter((reports) => reports.some((r) => r.kinds.includes(kind))).map(([r]) => r.name);
  }
}
