import { Inject, Injectable } from '@nestjs/common';
import { caldav, dav, type QName, Condition } from '@davmesh/dav';
import { ServerSettingsService } from '../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { preconditionError } from '../http/reply-errors';
import { readCollectionUpdate, refuseCreation, validResourcetype } from '../properties/collection-update';
import { PropertyRegistry } from '../properties/property-registry';
import { DAV_ADAPTERS, type CollectionStore, type DavAdapter } from '../resources/adapters';
import { type ResourceKind } from '../resources/resource';
import { type DavMethod } from './dav-method';

/**
 * A collection at the client's name with the properties of the body, or nothing at all: a
 * refused property refuses the whole request, 403 with the method's response element naming
 * it (the others 424).
 */
abstract class CollectionCreationMethod implements DavMethod {
  abstract readonly method: string;
  protected abstract readonly request: QName;
  protected abstract readonly response: QName;

  constructor(
    @Inject(DAV_ADAPTERS) private readonly adapters: DavAdapter[],
    @Inject(PropertyRegistry) private readonly properties: PropertyRegistry,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  /** A getter: `method` is set by the subclass after this constructor has run. */
  get kinds(): readonly ResourceKind[] {
    return this.adapters.filter((a) => a.collections.creationMethods.includes(this.method)).map((a) => a.collections.creatable);
  }

  /** What the body's DAV:resourcetype must be (RFC 5689 3.3 valid-resourcetype); unchecked: any refusal is the response element's. */
  protected abstract resourcetype(collections: CollectionStore): 'required' | 'optional' | 'unchecked';

  async handle(exchange: DavExchange): Promise<void> {
    const { request, response, resource } = exchange;
    const collections = this.adapters.find((a) => a.collections.creatable === resource.kind)?.collections;
    if (!collections) throw new DavHttpError(405, `${this.method} is not allowed on this resource`);
    const create = await collections.forCreation(exchange);
    const settings = await this.serverSettings.current();
    const update = await readCollectionUpdate(request, settings, this.properties, { kind: resource.kind, root: this.request, creating: true });
    const resourcetype = this.resourcetype(collections);
    if (resourcetype !== 'unchecked' && !validResourcetype(update, resourcetype === 'required')) throw preconditionError(403, Condition.ValidResourcetype);
    const refusal = refuseCreation(update, this.response);
    if (refusal) throw refusal;
    const headers = await create(update);
    response.statusCode = 201;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.setHeader('Content-Length', '0');
    response.end();
  }
}

/** RFC 5689 extended MKCOL (a plain one too) of an address book or a calendar. */
@Injectable()
export class MkcolMethod extends CollectionCreationMethod {
  readonly method = 'MKCOL';
  protected readonly request = dav('mkcol');
  protected readonly response = dav('mkcol-response');

  protected resourcetype(collections: CollectionStore): 'required' | 'optional' {
    return collections.mkcolResourcetype;
  }
}

/** RFC 4791 5.3.1 MKCALENDAR. */
@Injectable()
export class MkcalendarMethod extends CollectionCreationMethod {
  readonly method = 'MKCALENDAR';
  protected readonly request = caldav('mkcalendar');
  protected readonly response = caldav('mkcalendar-response');

  protected resourcetype(): 'unchecked' {
    return 'unchecked';
  }
}
