import { Inject, Injectable } from '@nestjs/common';
import { carddav, type XmlElement } from '@davmesh/dav';
import { CarddavResources } from '../carddav/carddav-resources';
import { EDGE_OPTIONS, type EdgeOptions } from '../edge-options';
import { type DavExchange } from '../http/dav-exchange';
import { wantsMinimal } from '../http/dav-headers';
import { PropertyRenderer } from '../properties/property-renderer';
import { type DavReport } from './dav-report';
import { hrefNames, multigetHrefs } from './href-names';
import { writeMultiget } from './multiget-answer';
import { objectContext, reportProps, startMultistatus } from './report-request';

/** RFC 6352 8.7: the named objects of the collection, 404 for each href it does not hold; written a bus reply at a time. */
@Injectable()
export class AddressbookMultigetReport implements DavReport {
  readonly name = carddav('addressbook-multiget');
  readonly kinds = ['addressbook', 'aggregated-addressbook'] as const;

  constructor(
    @Inject(CarddavResources) private readonly carddav: CarddavResources,
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
    @Inject(EDGE_OPTIONS) private readonly options: EdgeOptions,
  ) {}

  async run(exchange: DavExchange, body: XmlElement): Promise<void> {
    const { request, response, resource, user } = exchange;
    const scope = await this.carddav.openFor(exchange);
    const view = this.carddav.collection(scope, resource);
    const { propfind, addressDataVersion } = reportProps(body);
    const hrefs = multigetHrefs(body, scope.config);
    const names = hrefNames(view.href, hrefs);
    const minimal = wantsMinimal(request);
    const writer = startMultistatus(response);
    const pages = this.carddav.pages(user, view, [...new Set(names.values())]);
    await writeMultiget(writer, hrefs, names, pages, (contact) => writer.response(this.renderer.describe(objectContext(scope, view, contact, addressDataVersion), propfind, minimal)));
    writer.end();
  }
}
