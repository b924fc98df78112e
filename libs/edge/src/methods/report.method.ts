import { Inject, Injectable } from '@nestjs/common';
import { Condition } from '@davmesh/dav';
import { preconditionError } from '../http/reply-errors';
import { ServerSettingsService } from '../config/server-settings.service';
import { type DavExchange } from '../http/dav-exchange';
import { readXmlDocument, xmlBodyLimits } from '../http/request-body';
import { ReportRegistry } from '../reports/report-registry';
import { type DavMethod } from './dav-method';

/** Parses the body and hands it to the report its root element names (RFC 3253 3.6). */
@Injectable()
export class ReportMethod implements DavMethod {
  readonly method = 'REPORT';
  readonly kinds = ['addressbook', 'aggregated-addressbook', 'calendar', 'calendar-home', 'schedule-inbox', 'notifications', 'principal', 'principal-collection'] as const;

  constructor(
    @Inject(ReportRegistry) private readonly reports: ReportRegistry,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  async handle(exchange: DavExchange): Promise<void> {
    const body = await readXmlDocument(exchange.request, xmlBodyLimits(await this.serverSettings.current()));
    const report = this.reports.find(body.name, exchange.resource.kind);
    if (!report) throw preconditionError(403, Condition.SupportedReport);
    await report.run(exchange, report.read(body));
  }
}
