import { type EffectiveConfig, type User } from '@davmesh/contracts';
import { textMatches, type MatchType } from '@davmesh/collation';
import { caldav, calserver, childrenNamed, dav, firstChild, type MultistatusResponse, type QName, type XmlContent, type XmlElement } from '@davmesh/dav';
import { DavHttpError } from '../http/dav-exchange';
import { parseDepth } from '../http/dav-headers';
import { type PropertyContext } from '../properties/property';
import { principalPath } from '../resources/resource';
import { type ReportRegistry } from '../reports/report-registry';

/** What principal-property-search compares (RFC 3744 9.5 advertises them); all are on the own principal. */
export const SEARCHABLE_PRINCIPAL_PROPERTIES: { name: QName; description: string }[] = [
  { name: dav('displayname'), description: 'Display name' },
  { name: caldav('calendar-user-address-set'), description: 'Calendar user address' },
  { name: calserver('email-address-set'), description: 'Email address' },
];

/** Both principal reports are defined for Depth 0 only (RFC 3744 9.4, 9.5); a REPORT without Depth is 0. */
export function requireDepthZero(depthHeader: string | string[] | undefined): void {
  if (parseDepth(depthHeader, '0') !== '0') throw new DavHttpError(400, 'this report needs Depth: 0');
}

/**
 * The only principal a search may find: the requester's own. The directory is not listed
 * over DAV, so no context sees another's users, colleagues included.
 */
export function ownPrincipalContext(user: User, prefix: string, config: EffectiveConfig, reports: ReportRegistry): PropertyContext {
  return {
    currentUser: user,
    subjectUser: user,
    resource: { kind: 'principal', path: principalPath(prefix, user.userId), userId: user.userId },
    prefix,
    config,
    reports: reports.namesFor('principal'),
  };
}

export interface PropertySearch {
  props: QName[];
  value: string;
  matchType: MatchType;
}

/** The DAV:property-search elements of a principal-property-search body; 400 when there is none or one is incomplete. */
export function readPropertySearches(body: XmlElement): { searches: PropertySearch[]; anyOf: boolean } {
  const searches = childrenNamed(body, dav('property-search')).map((element) => {
    const props = firstChild(element, dav('prop'))?.children.map((c) => c.name) ?? [];
    const match = firstChild(element, dav('match'));
    if (props.length === 0 || !match) throw new DavHttpError(400, 'a DAV:property-search needs a DAV:prop and a DAV:match');
    const requested = match.attributes['match-type'];
    const matchType: MatchType = requested === 'starts-with' || requested === 'ends-with' || requested === 'equals' ? requested : 'contains';
    return { props, value: match.text, matchType };
  });
  if (searches.length === 0) throw new DavHttpError(400, 'a principal-property-search needs a DAV:property-search');
  // `test="anyof"` is the calendarserver.org extension Apple sends; RFC 3744 combines them with AND.
  return { searches, anyOf: body.attributes['test'] === 'anyof' };
}

/** A search matches when one of its properties holds the value, caselessly (an href set matches by any of its hrefs). */
export function matchesSearch(described: MultistatusResponse, search: PropertySearch): boolean {
  const found = described.propstats.find((p) => p.status === 200)?.props ?? [];
  return found.some((prop) =>
    textsOf(prop.value).some((text) => textMatches(text, { value: search.value, matchType: search.matchType, collation: 'i;unicode-casemap', negate: false })),
  );
}

function textsOf(content: XmlContent): string[] {
  if (typeof content === 'string') return [content];
  if (Array.isArray(content)) return content.flatMap((node) => textsOf(node.content));
  return [];
}
