import { type EffectiveConfig } from '@davmesh/contracts';
import { dav, type XmlElement, childrenNamed, Condition } from '@davmesh/dav';
import { preconditionError } from '../http/reply-errors';

/** A multiget's hrefs as written. */
export function multigetHrefs(body: XmlElement): string[] {
  return childrenNamed(body, dav('href')).map((h) => h.text.trim());
}

/** A multiget is refused whole (403 number-of-matches-within-limits) beyond the user's davmesh.limits.multigetHrefs. */
export function requireHrefsWithinLimit(hrefs: string[], config: EffectiveConfig): void {
  if (hrefs.length > Number(config.values['davmesh.limits.multigetHrefs'].value)) throw preconditionError(403, Condition.NumberOfMatchesWithinLimits);
}

/** Of a multiget's hrefs, those naming a member of `collectionHref`: href → member name. */
export function hrefNames(collectionHref: string, hrefs: string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const href of hrefs) {
    const path = hrefPath(href);
    if (path?.startsWith(collectionHref)) {
      const name = path.slice(collectionHref.length);
      if (name !== '' && !name.includes('/')) names.set(href, name);
    }
  }
  return names;
}

/** The decoded path an href names, a path or an absolute URL (of any host); undefined for bad %-escapes. */
export function hrefPath(href: string): string | undefined {
  try {
    return decodeURIComponent(href.replace(/^https?:\/\/[^/]+/i, ''));
  } catch {
    return undefined;
  }
}
