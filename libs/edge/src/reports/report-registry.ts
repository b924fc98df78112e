import { Inject, Injectable } from '@nestjs/common';
import { qnameKey, type QName } from '@davmesh/dav';
import { type ResourceKind } from '../resources/resource';
import { DAV_REPORTS, type DavReport } from './dav-report';

@Injectable()
export class ReportRegistry {
  private readonly byName = new Map<string, DavReport>();

  constructor(@Inject(DAV_REPORTS) reports: DavReport[]) {
    for (const report of reports) this.byName.set(qnameKey(report.name), report);
  }

  find(name: QName, kind: ResourceKind): DavReport | undefined {
    const report = this.byName.get(qnameKey(name));
    return report && report.kinds.includes(kind) ? report : undefined;
  }

  namesFor(kind: ResourceKind): QName[] {
    return [...this.byName.values()].filter((r) => r.kinds.includes(kind)).map((r) => r.name);
  }
}
