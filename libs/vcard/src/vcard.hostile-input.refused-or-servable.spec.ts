import fc from 'fast-check';
import { REAL_WORLD_VCARDS } from './testing/real-world-vcards';
import { REFUSED_FUZZ_FINDINGS, SERVED_FUZZ_FINDINGS } from './testing/fuzz-findings';
import { hostileVCard } from './testing/hostile-vcards';
import { convertVCard } from './vcard-convert';
import { matchesFilter } from './vcard-filter';
import { validateVCard } from './vcard-validation';
import { parseVCard, VCARD_VERSIONS, VCardError } from './vcard';
import { type AddressbookFilter } from '@davmesh/contracts';

/** A filter naming a prototype member, as a property and as a parameter. */
const PROTOTYPE_FILTER: AddressbookFilter = {
  test: 'anyof',
  propFilters: [
    {
      name: 'constructor',
      test: 'anyof',
      isNotDefined: false,
      textMatches: [{ value: 'x', collation: 'i;unicode-casemap', matchType: 'contains', negate: false }],
      paramFilters: [{ name: 'constructor', isNotDefined: false, textMatch: { value: 'x', collation: 'i;unicode-casemap', matchType: 'contains', negate: false } }],
    },
  ],
};

describe('vCard validation: any input is either refused or servable in both versions', () => {
  it('accepts every real-world seed', () => {
    for (const text of REAL_WORLD_VCARDS) expect(() => validateVCard(text)).not.toThrow();
  });

  it.each(Object.entries(SERVED_FUZZ_FINDINGS))('serves what once broke a conversion: %s', (_, text) => {
    validateVCard(text);
    for (const version of VCARD_VERSIONS) expect(parseVCard(convertVCard(text, version)).summary.version).toBe(version);
  });

  it.each(Object.entries(REFUSED_FUZZ_FINDINGS))('refuses what cannot be served faithfully: %s', (_, text) => {
    expect(() => validateVCard(text)).toThrow(VCardError);
  });

  it('refuses with a VCardError, or converts to 3.0 and 4.0 and reads back with the same UID and FN', () => {
    fc.assert(
      fc.property(hostileVCard, (text) => {
        let uid: string;
        let fn: string;
        try {
          ({ uid, fn } = validateVCard(text).summary);
        } catch (error) {
          expect(error).toBeInstanceOf(VCardError);
          return;
        }
        for (const version of VCARD_VERSIONS) {
          const served = parseVCard(convertVCard(text, version));
          expect(served.summary).toMatchObject({ uid, fn });
          expect(() => matchesFilter(served.jcard, PROTOTYPE_FILTER)).not.toThrow();
        }
      }),
      { seed: 20261205, numRuns: 200 },
    );
  });
});
