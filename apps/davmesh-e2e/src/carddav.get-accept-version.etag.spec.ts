import { vcard } from '@davmesh/testing';
import { carddavNodePerSuite, personalBook, type DavAgent } from './carddav.fixture';

const multiget = (hrefs: string[], version?: string) =>
  `<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data${version ? ` version="${version}"` : ''}/></D:prop>${hrefs
    .map((h) => `<D:href>${h}</D:href>`)
    .join('')}</C:addressbook-multiget>`;

describe('GET and address-data in the vCard version asked for, with ETags that name the bytes sent', () => {
  const server = carddavNodePerSuite();
  let agent: DavAgent;
  let book: string;
  let storedEtag: string;

  const get = (name: string, accept?: string) => {
    const test = agent.request('GET', `${book}${name}`);
    return accept ? test.set('Accept', accept) : test;
  };

  beforeAll(async () => {
    agent = await server().addUser('reader');
    book = await personalBook(agent);
    const put = await agent.put(`${book}three.vcf`, vcard('three', 'Three Point', ['TEL;TYPE=CELL,PREF:+1 555', 'EMAIL;TYPE=INTERNET:t@example.org']));
    storedEtag = put.headers['etag'];
    expect((await agent.put(`${book}four.vcf`, vcard('four', 'Four Point', ['TEL;VALUE=uri;TYPE=cell:tel:+1-555'], '4.0'))).status).toBe(201);
  }, 60_000);

  it('serves the stored bytes and their ETag when no version, or the stored version, is asked for', async () => {
    for (const accept of [undefined, 'text/vcard; version=3.0', 'text/vcard']) {
      const response = await get('three.vcf', accept);
      expect(response.text).toMatch(/VERSION:3\.0/);
      expect(response.headers['etag']).toBe(storedEtag);
    }
  });

  it('converts to 4.0 with a strong ETag of its own, which If-Match accepts for the stored card', async () => {
    const v4 = await get('three.vcf', 'text/vcard; version=4.0');
    expect(v4.status).toBe(200);
    expect(v4.text).toMatch(/VERSION:4\.0/);
    expect(v4.text).toMatch(/TEL;TYPE=CELL;PREF=1/);
    expect(v4.headers['vary']).toMatch(/Accept/);
    const tag = v4.headers['etag'];
    expect(tag).toMatch(/^"[^"]+"$/);
    expect(tag).not.toBe(storedEtag);
    expect((await get('three.vcf', 'text/vcard; version=4.0')).headers['etag']).toBe(tag);
    const update = await agent.put(`${book}three.vcf`, vcard('three', 'Three Updated', [], '4.0')).set('If-Match', tag);
    expect(update.status).toBe(204);
    expect((await agent.put(`${book}three.vcf`, vcard('three', 'Three Stale')).set('If-Match', tag)).status).toBe(412);
    storedEtag = update.headers['etag'];
  });

  it('converts a stored 4.0 card to 3.0', async () => {
    const v3 = await get('four.vcf', 'text/vcard;version=3.0, text/vcard;q=0.8');
    expect(v3.text).toMatch(/VERSION:3\.0/);
    expect(v3.text).toContain('FN:Four Point');
    expect(v3.headers['etag']).toMatch(/^"/);
  });

  it('answers address-data in the version the REPORT asks for', async () => {
    const hrefs = [`${book}three.vcf`, `${book}four.vcf`];
    for (const version of ['3.0', '4.0']) {
      const { responses } = await agent.report(book, multiget(hrefs, version));
      expect(responses).toHaveLength(2);
      for (const response of responses) {
        expect(response.found.get('{urn:ietf:params:xml:ns:carddav}address-data')?.text).toMatch(new RegExp(`VERSION:${version.replace('.', '\\.')}`));
      }
    }
    const { responses } = await agent.report(book, multiget(hrefs));
    const versions = responses.map((r) => /VERSION:(\d\.\d)/.exec(r.found.get('{urn:ietf:params:xml:ns:carddav}address-data')!.text)![1]);
    expect(versions.sort()).toEqual(['4.0', '4.0']);
  });
});
