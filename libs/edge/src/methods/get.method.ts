import { Inject, Injectable } from '@nestjs/common';
import { convertVCard, vcardVersionOf } from '@davmesh/vcard';
import { CarddavResources } from '../carddav/carddav-resources';
import { acceptedVersion } from '../carddav/vcard-media';
import { representationEtag, sendRepresentation } from '../http/conditional-headers';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { type DavMethod } from './dav-method';

/** GET a contact, converted to the vCard version the Accept header asks for; a strong ETag for the bytes sent. */
@Injectable()
export class GetMethod implements DavMethod {
  readonly method: string = 'GET';
  readonly kinds = ['contact'] as const;

  constructor(@Inject(CarddavResources) private readonly carddav: CarddavResources) {}

  async handle(exchange: DavExchange): Promise<void> {
    const scope = await this.carddav.openFor(exchange);
    const { object } = await this.carddav.object(exchange, scope);
    if (!object?.vcard) throw new DavHttpError(404, 'no such contact');
    const version = acceptedVersion(exchange.request);
    const converted = version !== undefined && version !== vcardVersionOf(object.vcard);
    // A converted body gets its own strong tag (DAVx5 needs one on GET); If-Match with it reaches the stored tag.
    sendRepresentation(exchange, {
      etag: converted ? representationEtag(object.etag, `vcard${version.replace('.', '')}`) : object.etag,
      lastModified: object.lastModified,
      contentType: 'text/vcard; charset=utf-8',
      body: converted ? convertVCard(object.vcard, version) : object.vcard,
      headers: { Vary: 'Accept' },
    });
  }
}

@Injectable()
export class HeadMethod extends GetMethod {
  override readonly method = 'HEAD';
}
