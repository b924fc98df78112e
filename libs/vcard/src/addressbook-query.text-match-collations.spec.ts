import { type PropFilter, type TextMatch } from '@davmesh/contracts';
import { parseVCard } from './vcard';
import { textMatches } from '@davmesh/collation';
import { matchesFilter } from './vcard-filter';

const card = parseVCard(
  ['BEGIN:VCARD', 'VERSION:3.0', 'UID:q1', 'FN:Ärger Straße', 'EMAIL;TYPE=WORK:Anna@Example.ORG', 'TEL;TYPE=CELL:123', 'END:VCARD', ''].join('\r\n'),
).jcard;

const match = (value: string, partial: Partial<TextMatch> = {}): TextMatch => ({
  value,
  collation: 'i;unicode-casemap',
  matchType: 'contains',
  negate: false,
  ...partial,
});
const prop = (name: string, partial: Partial<PropFilter> = {}): PropFilter => ({
  name,
  test: 'anyof',
  isNotDefined: false,
  textMatches: [],
  paramFilters: [],
  ...partial,
});

describe('addressbook-query text-match collations and match types', () => {
  it('folds every case with i;unicode-casemap and only A-Z with i;ascii-casemap', () => {
    expect(textMatches('Ärger', match('äRGER', { matchType: 'equals' }))).toBe(true);
    expect(textMatches('Ärger', match('äRGER', { matchType: 'equals', collation: 'i;ascii-casemap' }))).toBe(false);
    expect(textMatches('Ärger', match('ÄRGER', { matchType: 'equals', collation: 'i;ascii-casemap' }))).toBe(true);
    expect(textMatches('Anna', match('anna', { matchType: 'equals', collation: 'i;octet' }))).toBe(false);
  });

  it('knows equals, contains, starts-with, ends-with and negate', () => {
    expect(textMatches('anna@example.org', match('ANNA', { matchType: 'starts-with' }))).toBe(true);
    expect(textMatches('anna@example.org', match('.ORG', { matchType: 'ends-with' }))).toBe(true);
    expect(textMatches('anna@example.org', match('example', { matchType: 'equals' }))).toBe(false);
    expect(textMatches('anna@example.org', match('bob', { negate: true }))).toBe(true);
  });

  it('combines prop-filters with anyof/allof and honours is-not-defined and param-filter', () => {
    const email = prop('EMAIL', { textMatches: [match('example.org')] });
    const missing = prop('NICKNAME');
    expect(matchesFilter(card, { test: 'anyof', propFilters: [email, missing] })).toBe(true);
    expect(matchesFilter(card, { test: 'allof', propFilters: [email, missing] })).toBe(false);
    expect(matchesFilter(card, { test: 'allof', propFilters: [prop('NICKNAME', { isNotDefined: true }), email] })).toBe(true);
    const work = prop('EMAIL', { paramFilters: [{ name: 'TYPE', isNotDefined: false, textMatch: match('work', { matchType: 'equals' }) }] });
    const home = prop('EMAIL', { paramFilters: [{ name: 'TYPE', isNotDefined: false, textMatch: match('home', { matchType: 'equals' }) }] });
    expect(matchesFilter(card, { test: 'anyof', propFilters: [work] })).toBe(true);
    expect(matchesFilter(card, { test: 'anyof', propFilters: [home] })).toBe(false);
    expect(matchesFilter(card, { test: 'anyof', propFilters: [] })).toBe(true);
  });
});
