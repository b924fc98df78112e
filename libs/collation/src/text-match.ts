export type Collation = 'i;octet' | 'i;ascii-casemap' | 'i;unicode-casemap';
export type MatchType = 'equals' | 'contains' | 'starts-with' | 'ends-with';

export interface TextMatchRule {
  value: string;
  collation: Collation;
  matchType: MatchType;
  negate: boolean;
}

/**
 * RFC 4790 collations as CalDAV (RFC 4791 9.7.5) and CardDAV (RFC 6352 10.5.4) use
 * them: i;octet compares exactly, i;ascii-casemap folds A-Z only, i;unicode-casemap
 * folds every case after compatibility decomposition.
 */
export function textMatches(text: string, match: TextMatchRule): boolean {
  const fold = (s: string) => {
    switch (match.collation) {
      case 'i;octet':
        return s;
      case 'i;ascii-casemap':
        return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
      case 'i;unicode-casemap':
        return s.normalize('NFKD').toUpperCase().toLowerCase();
    }
  };
  const haystack = fold(text);
  const needle = fold(match.value);
  let found: boolean;
  switch (match.matchType) {
    case 'equals':
      found = haystack === needle;
      break;
    case 'contains':
      found = haystack.includes(needle);
      break;
    case 'starts-with':
      found = haystack.startsWith(needle);
      break;
    case 'ends-with':
      found = haystack.endsWith(needle);
      break;
  }
  return match.negate ? !found : found;
}
