import { type QName, type XmlElement } from '@davmesh/dav';
import { type DavExchange } from '../http/dav-exchange';
import { minimalAnswer } from '../http/dav-headers';
import { type PropertyRenderer } from '../properties/property-renderer';
import { type CollectionStore, type MemberProps } from '../resources/adapters';
import { type ResourceKind } from '../resources/resource';
import { type DavReport } from './dav-report';
import { hrefNames, multigetHrefs, requireHrefsWithinLimit } from './href-names';
import { writeMultiget } from './multiget-answer';
import { startMultistatus } from './report-request';

/** A calendar-multiget or addressbook-multiget body: the hrefs as written, and what to say of each member. */
export interface MultigetRequest {
  hrefs: string[];
  props: MemberProps;
}

/**
 * RFC 4791 7.9 calendar-multiget and RFC 6352 8.7 addressbook-multiget: the named members of
 * the collection, 404 for each href it does not hold; written a bus reply at a time.
 */
export class MultigetReport implements DavReport<MultigetRequest> {
  readonly name: QName;
  readonly kinds: readonly ResourceKind[];

  constructor(
    private readonly collections: CollectionStore,
    private readonly renderer: PropertyRenderer,
  ) {
    this.name = collections.multiget;
    this.kinds = collections.kinds;
  }

  read(body: XmlElement): MultigetRequest {
    return { hrefs: multigetHrefs(body), props: this.collections.readProps(body) };
  }

  async run(exchange: DavExchange, { hrefs, props }: MultigetRequest): Promise<void> {
    const { request, response } = exchange;
    const collection = await this.collections.open(exchange);
    requireHrefsWithinLimit(hrefs, collection.config);
    const query = collection.query(props);
    const names = hrefNames(collection.href, hrefs);
    const minimal = minimalAnswer(request, response);
    const writer = startMultistatus(response);
    const pages = query.pages([...new Set(names.values())]);
    await writeMultiget(writer, hrefs, names, pages, (member) => writer.response(this.renderer.describe(member.context, props.propfind, minimal)));
    writer.end();
  }
}
