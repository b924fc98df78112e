import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EffectiveConfigCache } from '@davmesh/config-client';
import { dav, type PropfindRequest, type XmlElement } from '@davmesh/dav';
import { type DavExchange } from '../http/dav-exchange';
import { minimalAnswer } from '../http/dav-headers';
import { PropertyRenderer } from '../properties/property-renderer';
import { type DavReport } from '../reports/dav-report';
import { matchesSearch, ownPrincipalContext, readPropertySearches, requireDepthZero, type PropertySearch } from './principal-search';
import { ReportRegistry } from '../reports/report-registry';
import { reportPropfind, startMultistatus } from '../reports/report-request';

/** A principal-property-search body: its searches, how they combine, and the properties to answer. */
export interface PrincipalPropertySearchRequest {
  searches: PropertySearch[];
  anyOf: boolean;
  propfind: PropfindRequest;
}

/**
 * RFC 3744 9.4 on the principal collections, as Apple Calendar and Evolution send it to find
 * attendees: a 207 with the requester's own principal when it matches, never anyone else
 * (with or without DAV:apply-to-principal-collection-set, which names these same collections).
 */
@Injectable()
export class PrincipalPropertySearchReport implements DavReport<PrincipalPropertySearchRequest> {
  readonly name = dav('principal-property-search');
  readonly kinds = ['principal-collection'] as const;

  constructor(
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
    @Inject(EffectiveConfigCache) private readonly userConfig: EffectiveConfigCache,
    // The registry is built from the reports, this one included: looked up when a request runs.
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  read(body: XmlElement): PrincipalPropertySearchRequest {
    return { ...readPropertySearches(body), propfind: reportPropfind(body) };
  }

  async run(exchange: DavExchange, { searches, anyOf, propfind }: PrincipalPropertySearchRequest): Promise<void> {
    const { request, response, user, prefix } = exchange;
    requireDepthZero(request.headers['depth']);
    const reports = this.moduleRef.get(ReportRegistry, { strict: false });
    const context = ownPrincipalContext(user, prefix, await this.userConfig.forUser(user.userId), reports);
    const matches = searches.map((search) => matchesSearch(this.renderer.describe(context, { kind: 'prop', props: search.props }, true), search));
    const minimal = minimalAnswer(request, response);
    const writer = startMultistatus(response);
    if (anyOf ? matches.some(Boolean) : matches.every(Boolean)) {
      await writer.write(writer.response(this.renderer.describe(context, propfind, minimal)));
    }
    writer.end();
  }
}
