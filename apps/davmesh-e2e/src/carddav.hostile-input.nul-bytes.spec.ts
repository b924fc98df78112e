import { vcard } from '@davmesh/testing';
import { carddavNodePerSuite, personalBook, type DavAgent } from './carddav.fixture';

const SYNC = '<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>';

describe('CardDAV hostile input: NUL characters in a vCard are refused with valid-address-data, storing nothing', () => {
  const server = carddavNodePerSuite();
  let agent: DavAgent;
  let book: string;

  beforeAll(async () => {
    agent = await server().addUser('nul');
    book = await personalBook(agent);
  }, 60_000);

  const syncToken = async () => /<d:sync-token>([^<]+)<\/d:sync-token>/.exec((await agent.report(book, SYNC)).text)?.[1];

  it.each([
    ['in FN', vcard('nul-fn', 'Before\0After')],
    ['in a NOTE', vcard('nul-note', 'Nul Note', ['NOTE:one\0two'])],
    ['in a parameter', vcard('nul-param', 'Nul Param', ['EMAIL;TYPE=HO\0ME:nul@example.org'])],
    ['in a 4.0 property name', vcard('nul-name', 'Nul Name', ['X-N\0UL:x'], '4.0')],
  ])('refuses a NUL %s on create', async (_, body) => {
    const before = await syncToken();
    const response = await agent.put(`${book}nul.vcf`, body);
    expect(response.status).toBe(403);
    expect(response.text).toContain('valid-address-data');
    expect((await agent.request('GET', `${book}nul.vcf`)).status).toBe(404);
    expect(await syncToken()).toBe(before);
  });

  it('refuses a NUL on update and leaves the stored card as it was', async () => {
    const created = await agent.put(`${book}kept.vcf`, vcard('kept', 'Kept'));
    expect(created.status).toBe(201);
    const before = await syncToken();
    const response = await agent.put(`${book}kept.vcf`, vcard('kept', 'Kept\0Changed'));
    expect(response.status).toBe(403);
    expect(response.text).toContain('valid-address-data');
    const read = await agent.request('GET', `${book}kept.vcf`);
    expect(read.headers['etag']).toBe(created.headers['etag']);
    expect(read.text).toContain('FN:Kept\r\n');
    expect(await syncToken()).toBe(before);
  });
});
