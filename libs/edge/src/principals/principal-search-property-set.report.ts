import { Injectable } from '@nestjs/common';
import { dav, el, renderDocument } from '@davmesh/dav';
import { type DavExchange } from '../http/dav-exchange';
import { DAV_COMPLIANCE } from '../http/dav-headers';
import { type DavReport } from '../reports/dav-report';
import { requireDepthZero, SEARCHABLE_PRINCIPAL_PROPERTIES } from './principal-search';

/** RFC 3744 9.5: the properties principal-property-search compares, each with a description. */
@Injectable()
export class PrincipalSearchPropertySetReport implements DavReport<void> {
  readonly name = dav('principal-search-property-set');
  readonly kinds = ['principal-collection'] as const;

  /** The body is an empty DAV:principal-search-property-set: it asks nothing. */
  read(): void {}

  async run({ request, response }: DavExchange): Promise<void> {
    requireDepthZero(request.headers['depth']);
    const body = renderDocument(
      el(
        dav('principal-search-property-set'),
        SEARCHABLE_PRINCIPAL_PROPERTIES.map(({ name, description }) =>
          el(dav('principal-search-property'), [el(dav('prop'), [el(name)]), el(dav('description'), description, { 'xml:lang': 'en' })]),
        ),
      ),
    );
    response.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body), DAV: DAV_COMPLIANCE });
    response.end(body);
  }
}
