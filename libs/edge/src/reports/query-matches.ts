import { el, encodeHref, type PropfindRequest, Condition } from '@davmesh/dav';
import { type DavExchange } from '../http/dav-exchange';
import { minimalAnswer } from '../http/dav-headers';
import { type PropertyContext } from '../properties/property';
import { type PropertyRenderer } from '../properties/property-renderer';
import { startMultistatus } from './report-request';

export interface MatchPage<T> {
  items: T[];
  /** The next page, absent after the last; it resolves to undefined when the service refuses it for its cost. */
  next?: () => Promise<MatchPage<T> | undefined>;
}

export interface QueryAnswer<T> {
  /** The collection queried: a 507 names it. */
  href: string;
  propfind: PropfindRequest;
  limit: number;
  /**
   * With the limit reached, whether later pages are read to find a match left over: a page may end
   * with a cursor and nothing after it. Without, a further page alone counts as more matches.
   */
  lookAhead: boolean;
  context(item: T): PropertyContext;
}

/**
 * The 207 of a calendar- or addressbook-query: the matches page by page, and more of them than the
 * limit end with a 507 for the collection (RFC 5323 5.3-style), never silently.
 */
export async function writeMatches<T>(exchange: DavExchange, renderer: PropertyRenderer, first: MatchPage<T>, answer: QueryAnswer<T>): Promise<void> {
  const minimal = minimalAnswer(exchange.request, exchange.response);
  const writer = startMultistatus(exchange.response);
  const beyond = () => writer.write(writer.status(encodeHref(answer.href), 507, el(Condition.NumberOfMatchesWithinLimits)));
  let room = answer.limit;
  for (let page: MatchPage<T> | undefined = first; ; ) {
    const shown = page.items.slice(0, room);
    room -= shown.length;
    await writer.write(shown.map((item) => writer.response(renderer.describe(answer.context(item), answer.propfind, minimal))).join(''));
    if (shown.length < page.items.length || (page.next && room === 0 && !answer.lookAhead)) {
      await beyond();
      break;
    }
    if (!page.next) break;
    page = await page.next();
    if (!page) {
      await beyond();
      break;
    }
  }
  writer.end();
}
