import { vcard } from '@davmesh/testing';
import { carddavNodePerSuite, personalBook, type DavAgent } from './carddav.fixture';

const query = (filter: string, extra = '') =>
  `<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop>${filter}${extra}</C:addressbook-query>`;
const textMatch = (value: string, attributes = '') => `<C:text-match${attributes}>${value}</C:text-match>`;
const fnFilter = (match: string, test = '') => `<C:filter><C:prop-filter name="FN"${test}>${match}</C:prop-filter></C:filter>`;

describe('addressbook-query over HTTP: text-match collations, match types, negation, anyof/allof, param filters, limit', () => {
  const server = carddavNodePerSuite();
  let agent: DavAgent;
  let book: string;

  const matching = async (body: string) => {
    const { status, responses } = await agent.report(book, body);
    expect(status).toBe(207);
    return responses.map((r) => r.href.split('/').pop()).sort();
  };

  beforeAll(async () => {
    agent = await server().addUser('querier');
    book = await personalBook(agent);
    const cards = {
      'zoe.vcf': vcard('zoe', 'Zoë Ångström', ['EMAIL;TYPE=work:zoe@example.org', 'NICKNAME:Zo']),
      'anna.vcf': vcard('anna', 'ANNA Schmidt', ['EMAIL;TYPE=home:anna@Example.ORG', 'TEL;TYPE=cell:+49 30 1234']),
      'bert.vcf': vcard('bert', 'Bert Anderson', ['TEL;TYPE=work:+1 555 0100']),
      'lena.vcf': vcard('lena', 'anna-lena', [], '4.0'),
    };
    for (const [name, card] of Object.entries(cards)) expect((await agent.put(`${book}${name}`, card)).status).toBe(201);
  }, 60_000);

  it('i;unicode-casemap (the default) folds case of any script; contains is the default match type', async () => {
    expect(await matching(query(fnFilter(textMatch('anna'))))).toEqual(['anna.vcf', 'lena.vcf']);
    expect(await matching(query(fnFilter(textMatch('ZOË ÅNGSTRÖM', ' match-type="equals"'))))).toEqual(['zoe.vcf']);
  });

  it('i;ascii-casemap folds ASCII letters only; i;octet compares bytes', async () => {
    expect(await matching(query(fnFilter(textMatch('anna schmidt', ' collation="i;ascii-casemap" match-type="equals"'))))).toEqual(['anna.vcf']);
    expect(await matching(query(fnFilter(textMatch('ZOË', ' collation="i;ascii-casemap" match-type="starts-with"'))))).toEqual([]);
    expect(await matching(query(fnFilter(textMatch('ZOë', ' collation="i;ascii-casemap" match-type="starts-with"'))))).toEqual(['zoe.vcf']);
    expect(await matching(query(fnFilter(textMatch('anna', ' collation="i;octet"'))))).toEqual(['lena.vcf']);
  });

  it('equals, starts-with, ends-with and negate-condition', async () => {
    expect(await matching(query(fnFilter(textMatch('bert', ' match-type="starts-with"'))))).toEqual(['bert.vcf']);
    expect(await matching(query(fnFilter(textMatch('SCHMIDT', ' match-type="ends-with"'))))).toEqual(['anna.vcf']);
    expect(await matching(query(fnFilter(textMatch('anna', ' match-type="equals"'))))).toEqual([]);
    expect(await matching(query(fnFilter(textMatch('anna', ' negate-condition="yes"'))))).toEqual(['bert.vcf', 'zoe.vcf']);
  });

  it('several text-matches in one prop-filter: anyof (default) or allof', async () => {
    const two = textMatch('anna') + textMatch('lena');
    expect(await matching(query(fnFilter(two)))).toEqual(['anna.vcf', 'lena.vcf']);
    expect(await matching(query(fnFilter(two, ' test="allof"')))).toEqual(['lena.vcf']);
  });

  it('several prop-filters: anyof (default) or allof; is-not-defined', async () => {
    const filters = `<C:prop-filter name="EMAIL">${textMatch('example.org')}</C:prop-filter><C:prop-filter name="FN">${textMatch('bert', ' match-type="starts-with"')}</C:prop-filter>`;
    expect(await matching(query(`<C:filter>${filters}</C:filter>`))).toEqual(['anna.vcf', 'bert.vcf', 'zoe.vcf']);
    expect(await matching(query(`<C:filter test="allof">${filters}</C:filter>`))).toEqual([]);
    const both = `<C:prop-filter name="EMAIL">${textMatch('example')}</C:prop-filter><C:prop-filter name="FN">${textMatch('anna')}</C:prop-filter>`;
    expect(await matching(query(`<C:filter test="allof">${both}</C:filter>`))).toEqual(['anna.vcf']);
    expect(await matching(query(`<C:filter><C:prop-filter name="EMAIL"><C:is-not-defined/></C:prop-filter></C:filter>`))).toEqual([
      'bert.vcf',
      'lena.vcf',
    ]);
  });

  it('param-filter on TYPE', async () => {
    const param = (prop: string, value: string) =>
      query(`<C:filter><C:prop-filter name="${prop}"><C:param-filter name="TYPE">${textMatch(value, ' match-type="equals"')}</C:param-filter></C:prop-filter></C:filter>`);
    expect(await matching(param('TEL', 'cell'))).toEqual(['anna.vcf']);
    expect(await matching(param('EMAIL', 'WORK'))).toEqual(['zoe.vcf']);
  });

  it('limit/nresults: at most that many, then 507 number-of-matches-within-limits on the collection', async () => {
    const { status, text, responses } = await agent.report(book, query('<C:filter/>', '<C:limit><C:nresults>2</C:nresults></C:limit>'));
    expect(status).toBe(207);
    const objects = responses.filter((r) => r.href !== book);
    expect(objects).toHaveLength(2);
    expect(text).toMatch(/<d:href>[^<]+<\/d:href><d:status>HTTP\/1\.1 507 Insufficient Storage<\/d:status><d:error><d:number-of-matches-within-limits\/>/);
    const all = await matching(query('<C:filter/>', '<C:limit><C:nresults>4</C:nresults></C:limit>'));
    expect(all).toEqual(['anna.vcf', 'bert.vcf', 'lena.vcf', 'zoe.vcf']);
  });

  it('refuses an unknown collation with supported-collation', async () => {
    const { status, text } = await agent.report(book, query(fnFilter(textMatch('x', ' collation="i;klingon"'))));
    expect(status).toBe(403);
    expect(text).toContain('supported-collation');
  });
});
