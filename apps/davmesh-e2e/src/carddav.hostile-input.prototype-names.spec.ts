import { parseVCard, propertiesNamed } from '@davmesh/vcard';
import { vcard } from '@davmesh/testing';
import { carddavNodePerSuite, personalBook, type DavAgent } from './carddav.fixture';

const ADDRESS_DATA = '{urn:ietf:params:xml:ns:carddav}address-data';
const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

/** Every name an object map confuses, as a property, a group and a parameter. */
const hostileLines = [
  '__proto__:x',
  'constructor:y',
  'item1.__proto__:z',
  'toString:t',
  'hasOwnProperty:h',
  'valueOf:v',
  'constructor.NOTE:in a constructor group',
  '__proto__.X-LABEL:in a __proto__ group',
  'X-P;constructor=c1;toString=t1;hasOwnProperty=h1;valueOf=v1:params',
  'EMAIL;TYPE=HOME,PREF;TYPE=WORK:list@example.org',
];

const multiget = (hrefs: string[], version: string) =>
  `<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data version="${version}"/></D:prop>${hrefs
    .map((h) => `<D:href>${h}</D:href>`)
    .join('')}</C:addressbook-multiget>`;

const query = (filter: string) =>
  `<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data version="4.0"/></D:prop><C:filter>${filter}</C:filter></C:addressbook-query>`;

const SYNC = '<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>';

describe('CardDAV hostile input: property, group and parameter names that are Object.prototype members', () => {
  const server = carddavNodePerSuite();
  let agent: DavAgent;
  let book: string;
  const hrefs: string[] = [];

  beforeAll(async () => {
    agent = await server().addUser('proto');
    book = await personalBook(agent);
    for (const version of ['3.0', '4.0'] as const) {
      const href = `${book}proto-${version}.vcf`;
      const put = await agent.put(href, vcard(`proto-${version}`, `Proto ${version}`, hostileLines, version));
      expect(put.status).toBe(201);
      hrefs.push(href);
    }
  }, 60_000);

  it('serves them on GET in both vCard versions, each name kept', async () => {
    for (const href of hrefs) {
      for (const version of ['3.0', '4.0']) {
        const response = await agent.request('GET', href).set('Accept', `text/vcard; version=${version}`);
        expect(response.status).toBe(200);
        const { jcard, summary } = parseVCard(response.text);
        expect(summary.version).toBe(version);
        for (const name of NAMES) expect(propertiesNamed(jcard, name.toLowerCase())).not.toHaveLength(0);
        expect(propertiesNamed(jcard, '__proto__').map((p) => p[1]['group'])).toContain('item1');
        expect(propertiesNamed(jcard, 'note')[0][1]['group']).toBe('constructor');
        expect(propertiesNamed(jcard, 'x-p')[0][1]).toMatchObject({ constructor: 'c1', tostring: 't1', hasownproperty: 'h1', valueof: 'v1' });
      }
    }
  });

  it('answers addressbook-multiget with address-data in both versions', async () => {
    for (const version of ['3.0', '4.0']) {
      const { status, responses } = await agent.report(book, multiget(hrefs, version));
      expect(status).toBe(207);
      expect(responses.map((r) => r.href).sort()).toEqual([...hrefs].sort());
      for (const response of responses) expect(parseVCard(response.found.get(ADDRESS_DATA)!.text).summary.version).toBe(version);
    }
  });

  it('matches prop-filters and param-filters on those names in addressbook-query', async () => {
    const filters = [
      '<C:prop-filter name="constructor"><C:text-match>y</C:text-match></C:prop-filter>',
      '<C:prop-filter name="__proto__"><C:text-match match-type="equals">z</C:text-match></C:prop-filter>',
      '<C:prop-filter name="X-P"><C:param-filter name="constructor"><C:text-match>c1</C:text-match></C:param-filter></C:prop-filter>',
      '<C:prop-filter name="toString"/>',
    ];
    for (const filter of filters) {
      const { status, responses } = await agent.report(book, query(filter));
      expect(status).toBe(207);
      expect(responses.map((r) => r.href).sort()).toEqual([...hrefs].sort());
    }
    // A param-filter naming a prototype member matches no parameter the card lacks.
    const absent = await agent.report(book, query('<C:prop-filter name="FN"><C:param-filter name="constructor"/></C:prop-filter>'));
    expect(absent.status).toBe(207);
    expect(absent.responses).toHaveLength(0);
  });

  it('lists them in sync-collection', async () => {
    const { status, responses } = await agent.report(book, SYNC);
    expect(status).toBe(207);
    expect(responses.map((r) => r.href).filter((h) => h !== book).sort()).toEqual([...hrefs].sort());
  });

  it('refuses a parameter named __proto__, which no parsed vCard can keep, with valid-address-data and stores nothing', async () => {
    const href = `${book}proto-param.vcf`;
    const response = await agent.put(href, vcard('proto-param', 'Proto Param', ['X-P;__proto__=lost:value']));
    expect(response.status).toBe(403);
    expect(response.text).toContain('valid-address-data');
    expect((await agent.request('GET', href)).status).toBe(404);
  });
});
