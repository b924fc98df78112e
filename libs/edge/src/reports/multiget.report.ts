import { type QName, type XmlElement } from '@davmesh/dav';
import { type DavExchange } from '../http/dav-exchange';
import { wantsMinimal } from '../http/dav-headers';
import { type PropertyRenderer } from '../properties/property-renderer';
import { type CollectionStore } from '../resources/adapters';
import { type ResourceKind } from '../resources/resource';
import { type DavReport } from './dav-report';
import { hrefNames, multigetHrefs } from './href-names';
import { writeMultiget } from './multiget-answer';
import { startMultistatus } from './report-request';

/**
 * RFC 4791 7.9 calendar-multiget and RFC 6352 8.7 addressbook-multiget: the named members of
 * the collection, 404 for each href it does not hold; written a bus reply at a time.
 */
export class MultigetReport implements DavReport {
  readonly name: QName;
  readonly kinds: readonly ResourceKind[];

  constructor(
    private readonly collections: CollectionStore,
    private readonly renderer: PropertyRenderer,
  ) {
    this.name = collections.multiget;
    this.kinds = collections.kinds;
  }

  async run(exchange: DavExchange, body: XmlElement): Promise<void> {
    const { request, response } = exchange;
    const collection = await this.collections.open(exchange);
    const query = collection.query(body);
    const hrefs = multigetHrefs(body, collection.config);
    const names = hrefNames(collection.href, hrefs);
    const minimal = wantsMinimal(request);
    const writer = startMultistatus(response);
    const pages = query.pages([...new Set(names.values())]);
    await writeMultiget(writer, hrefs, names, pages, (member) => writer.response(this.renderer.describe(member.context, query.propfind, minimal)));
    writer.end();
  }
}
