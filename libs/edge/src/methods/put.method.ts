import { type ServerResponse } from 'node:http';
import { encodeHref } from '@davmesh/dav';
import { Inject, Injectable } from '@nestjs/common';
import { quoteEtag } from '../http/conditional-headers';
import { type DavExchange } from '../http/dav-exchange';
import { wantsRepresentation } from '../http/dav-headers';
import { preconditionError } from '../http/reply-errors';
import { BodyTooLargeError, readBody } from '../http/request-body';
import { DAV_ADAPTERS, memberStoreOf, type DavAdapter, type StoredMember } from '../resources/adapters';
import { type ResourceKind } from '../resources/resource';
import { type DavMethod } from './dav-method';

/** PUT a member (a vCard, an iCalendar object) of the body's media type and size its protocol takes. */
@Injectable()
export class PutMethod implements DavMethod {
  readonly method = 'PUT';
  readonly kinds: readonly ResourceKind[];

  constructor(@Inject(DAV_ADAPTERS) private readonly adapters: DavAdapter[]) {
    this.kinds = adapters.map((a) => a.members.kind);
  }

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response } = exchange;
    const { store, member } = memberStoreOf(this.adapters, exchange.resource);
    const write = await store.writer(exchange, member);
    if (!store.body.accepts(request)) throw preconditionError(403, store.body.unsupported);
    let body: string;
    try {
      body = await readBody(request, store.body.maxBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw preconditionError(403, store.body.tooLarge);
      throw error;
    }
    const stored = await write(body);
    if (!wantsRepresentation(request)) return answerStored(response, stored);
    // RFC 8144 3.2: the member as now stored, so the client needs no GET after its PUT.
    const representation = await store.read(exchange);
    if (!representation) return answerStored(response, stored);
    const text = Buffer.from(representation.body);
    response.writeHead(stored.created ? 201 : 200, {
      ETag: quoteEtag(representation.etag),
      'Content-Type': representation.contentType,
      'Content-Length': String(text.length),
      'Content-Location': encodeHref(exchange.resource.path),
      'Preference-Applied': 'return=representation',
      Vary: 'Prefer',
      ...(representation.lastModified ? { 'Last-Modified': new Date(representation.lastModified).toUTCString() } : {}),
      ...representation.headers,
    });
    response.end(text);
  }
}

/**
 * 201 for a new member, 204 for a replaced one, with the ETag of what is stored when that is the
 * body (RFC 4791 5.3.4: none when the server changed it), and the protocol's headers.
 */
export function answerStored(response: ServerResponse, stored: StoredMember): void {
  response.statusCode = stored.created ? 201 : 204;
  if (stored.asSent !== false) response.setHeader('ETag', quoteEtag(stored.etag));
  for (const [name, value] of Object.entries(stored.headers ?? {})) response.setHeader(name, value);
  response.setHeader('Content-Length', '0');
  response.end();
}
