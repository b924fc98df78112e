import { Inject, Injectable } from '@nestjs/common';
import { BusClient } from '@davmesh/bus';
import { ContactObjectsQuery, type AddressbookFilter, type ContactObject, type ParamFilter, type PropFilter, type TextMatch } from '@davmesh/contracts';
import { carddav, childrenNamed, firstChild, type XmlElement, Condition } from '@davmesh/dav';
import { CarddavResources } from './carddav-resources';
import { preconditionError, unwrap } from '../http/reply-errors';
import { type DavExchange } from '../http/dav-exchange';
import { PropertyRenderer } from '../properties/property-renderer';
import { type DavReport } from '../reports/dav-report';
import { addressbookReportProps, type AddressbookMemberProps } from './addressbook-report-props';
import { writeMatches, type MatchPage } from '../reports/query-matches';
import { objectContext } from './contact-context';

const COLLATIONS = new Set(['i;unicode-casemap', 'i;ascii-casemap', 'i;octet']);
const MATCH_TYPES = new Set(['equals', 'contains', 'starts-with', 'ends-with']);

/** An addressbook-query body: the filter, at most how many matches, and what to say of each. */
export interface AddressbookQueryRequest {
  filter: AddressbookFilter;
  limit: number;
  props: AddressbookMemberProps;
}

/** RFC 6352 8.6: the objects matching a filter, at most `limit` of them (then 507 on the collection). */
@Injectable()
export class AddressbookQueryReport implements DavReport<AddressbookQueryRequest> {
  readonly name = carddav('addressbook-query');
  readonly kinds = ['addressbook', 'aggregated-addressbook'] as const;

  constructor(
    @Inject(CarddavResources) private readonly carddav: CarddavResources,
    @Inject(PropertyRenderer) private readonly renderer: PropertyRenderer,
    @Inject(BusClient) private readonly bus: BusClient,
  ) {}

  read(body: XmlElement): AddressbookQueryRequest {
    const nresults = firstChild(firstChild(body, carddav('limit')) ?? body, carddav('nresults'))?.text.trim();
    return {
      filter: parseFilter(firstChild(body, carddav('filter'))),
      limit: nresults && /^\d+$/.test(nresults) ? Number(nresults) : Infinity,
      props: addressbookReportProps(body),
    };
  }

  async run(exchange: DavExchange, { filter, limit, props: { propfind, addressDataVersion } }: AddressbookQueryRequest): Promise<void> {
    const { resource, user } = exchange;
    const scope = await this.carddav.openFor(exchange);
    const view = this.carddav.collection(scope, resource);
    const page = async (cursor?: string): Promise<MatchPage<ContactObject>> => {
      const found = unwrap(await this.bus.request(ContactObjectsQuery, { userId: user.userId, contextId: user.contextId, folderIds: view.folderIds, filter, cursor }));
      return { items: found.items, next: found.cursor ? () => page(found.cursor) : undefined };
    };
    await writeMatches(exchange, this.renderer, await page(), {
      href: view.href,
      propfind,
      limit,
      lookAhead: true,
      context: (contact) => objectContext(scope, view, contact, addressDataVersion),
    });
  }
}

function parseFilter(element: XmlElement | undefined): AddressbookFilter {
  if (!element) return { test: 'anyof', propFilters: [] };
  return {
    test: element.attributes['test'] === 'allof' ? 'allof' : 'anyof',
    propFilters: childrenNamed(element, carddav('prop-filter')).map(parsePropFilter),
  };
}

function parsePropFilter(element: XmlElement): PropFilter {
  const name = element.attributes['name'];
  if (!name) throw preconditionError(403, Condition.SupportedFilter);
  return {
    name,
    test: element.attributes['test'] === 'allof' ? 'allof' : 'anyof',
    isNotDefined: firstChild(element, carddav('is-not-defined')) !== undefined,
    textMatches: childrenNamed(element, carddav('text-match')).map(parseTextMatch),
    paramFilters: childrenNamed(element, carddav('param-filter')).map(parseParamFilter),
  };
}

function parseParamFilter(element: XmlElement): ParamFilter {
  const name = element.attributes['name'];
  if (!name) throw preconditionError(403, Condition.SupportedFilter);
  const textMatch = firstChild(element, carddav('text-match'));
  return {
    name,
    isNotDefined: firstChild(element, carddav('is-not-defined')) !== undefined,
    ...(textMatch ? { textMatch: parseTextMatch(textMatch) } : {}),
  };
}

function parseTextMatch(element: XmlElement): TextMatch {
  const collation = element.attributes['collation'] ?? 'i;unicode-casemap';
  if (!COLLATIONS.has(collation)) throw preconditionError(403, Condition.AddressbookSupportedCollation);
  const matchType = element.attributes['match-type'] ?? 'contains';
  if (!MATCH_TYPES.has(matchType)) throw preconditionError(403, Condition.SupportedFilter);
  return {
    value: element.text,
    collation: collation as TextMatch['collation'],
    matchType: matchType as TextMatch['matchType'],
    negate: element.attributes['negate-condition'] === 'yes',
  };
}
