import fc from 'fast-check';
import { type FuzzCase } from './fuzz-case';
import { badDate, extremeNumber, hostileText, prototypeName } from './hostile-values';
import { lineEnding, lineMutation, mutateLines } from './line-mutations';

type Version = '3.0' | '4.0';
const uid = fc.stringMatching(/^[a-z0-9]{6,14}$/);
const name = fc.constantFrom('Ann Example', 'Bob', 'Émile Zola', '山田 太郎', 'O\'Brien, Pat', 'Dr. Jane Q. Public, Esq.');
/** A tiny JPEG-ish payload; the point is the base64 and the parameters around it. */
const PHOTO = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex').toString('base64');

const card = (version: Version, id: string, fn: string, ...props: string[]) => {
  const [family, given = ''] = fn.split(' ').reverse();
  return ['BEGIN:VCARD', `VERSION:${version}`, `UID:${id}`, `FN:${fn}`, `N:${family};${given};;;`, ...props, 'END:VCARD'];
};

interface Seed {
  name: string;
  lines: string[];
}

/** Real-world-shaped contacts in both versions, each valid before mutation. */
const seeds: fc.Arbitrary<Seed> = fc.oneof(
  fc.tuple(fc.constantFrom<Version>('3.0', '4.0'), uid, name).map(([v, id, fn]) => ({ name: `minimal-${v}`, lines: card(v, id, fn) })),
  fc.tuple(uid, name).map(([id, fn]) => ({
    name: 'full-3.0',
    lines: card('3.0', id, fn, 'EMAIL;TYPE=INTERNET,WORK:ann@example.org', 'TEL;TYPE=CELL,VOICE:+49 170 1234567', 'ADR;TYPE=HOME:;;Main St 1;Berlin;;10115;Germany', 'ORG:Example Inc.;Sales', 'TITLE:Manager', 'BDAY:1980-04-15', 'NOTE:Line one\\nLine two\\, with comma', 'CATEGORIES:friends,work', 'URL:https://example.org/'),
  })),
  fc.tuple(uid, name).map(([id, fn]) => ({
    name: 'full-4.0',
    lines: card('4.0', id, fn, 'EMAIL;TYPE=work;PREF=1:ann@example.org', 'TEL;VALUE=uri;TYPE="cell,voice":tel:+49-170-1234567', 'ADR;LABEL="Main St 1\\nBerlin":;;Main St 1;Berlin;;10115;Germany', 'BDAY:--0415', 'ANNIVERSARY:20100601', 'GENDER:F', 'LANG;PREF=1:de', 'KIND:individual'),
  })),
  fc.tuple(fc.constantFrom<Version>('3.0', '4.0'), uid, name).map(([v, id, fn]) => ({
    name: `groups-${v}`,
    lines: card(v, id, fn, 'item1.EMAIL;TYPE=INTERNET:a@example.org', 'item1.X-ABLabel:_$!<Other>!$_', 'item2.URL:https://example.org', 'item2.X-ABLabel:blog', 'X-ABShowAs:COMPANY'),
  })),
  fc.tuple(uid, name).map(([id, fn]) => ({ name: 'photo-3.0', lines: card('3.0', id, fn, `PHOTO;ENCODING=b;TYPE=JPEG:${PHOTO}`) })),
  fc.tuple(uid, name).map(([id, fn]) => ({ name: 'photo-4.0', lines: card('4.0', id, fn, `PHOTO:data:image/jpeg;base64,${PHOTO}`) })),
  fc.tuple(fc.constantFrom<Version>('3.0', '4.0'), uid).map(([v, id]) => ({
    name: `group-kind-${v}`,
    lines: v === '4.0' ? card(v, id, 'Team', 'KIND:group', 'MEMBER:urn:uuid:abc') : card(v, id, 'Team', 'X-ADDRESSBOOKSERVER-KIND:group', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:abc'),
  })),
  fc.tuple(fc.constantFrom<Version>('3.0', '4.0'), uid, prototypeName, prototypeName).map(([v, id, a, b]) => ({
    name: `prototype-names-${v}`,
    lines: card(v, id, 'Proto', `${a}:x`, `item1.${b}:z`, `EMAIL;${a}=y:p@example.org`),
  })),
);

/** Properties to insert: hostile values and parameters, bad dates, prototype names as names and groups. */
const extraProperty = fc.oneof(
  hostileText.map((t) => `FN:${t}`),
  hostileText.map((t) => `N:${t};${t};;;`),
  hostileText.map((t) => `NOTE:${t}`),
  hostileText.map((t) => `EMAIL;TYPE="${t}":${t}`),
  hostileText.map((t) => `TEL;${t.replace(/[:;]/g, '') || 'X'}=1:${t}`),
  badDate.map((d) => `BDAY:${d}`),
  badDate.map((d) => `REV:${d}`),
  extremeNumber.map((n) => `EMAIL;PREF=${n}:a@example.org`),
  prototypeName.map((p) => `${p}:x`),
  prototypeName.map((p) => `${p}.EMAIL:a@example.org`),
  prototypeName.map((p) => `item1.${p}:z`),
  prototypeName.map((p) => `EMAIL;${p}=1;TYPE=${p}:a@example.org`),
  fc.constantFrom('VERSION:2.1', 'VERSION:5.0', 'BEGIN:VCARD', 'END:VCARD', 'UID:', 'PHOTO;ENCODING=b:!!!notbase64', 'PHOTO:data:;base64,', 'AGENT:BEGIN:VCARD', 'KIND:group', 'MEMBER:', 'X-:x', ':novalue', ';;;'),
);

const mutations = fc.array(lineMutation(extraProperty), { minLength: 1, maxLength: 4 });

/** A PUT of a contact into the lane's address book: a seed, valid (1 in 5) or mutated. */
export const vcardCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(seeds, fc.option(mutations, { freq: 5 }), lineEnding, fc.stringMatching(/^[a-z0-9]{4,10}$/), fc.constantFrom('text/vcard; charset=utf-8', 'text/vcard', 'text/x-vcard', 'text/vcard; version=4.0', 'text/directory'))
  .map(([seed, applied, eol, resource, contentType]) => {
    const lines = applied ? mutateLines(seed.lines, applied) : seed.lines;
    return {
      kind: 'vcard',
      label: [seed.name, ...(applied ?? []).map((m) => m.name)].join('+'),
      request: { method: 'PUT', path: `{book}${resource}.vcf`, headers: { 'Content-Type': contentType }, body: lines.join(eol) + eol },
    };
  });
