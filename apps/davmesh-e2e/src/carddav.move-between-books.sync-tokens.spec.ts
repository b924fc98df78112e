import { vcard } from '@davmesh/testing';
import { carddavNodePerSuite, personalBook, type DavAgent } from './carddav.fixture';

const syncBody = (token: string, limit = '') =>
  `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level>${limit}<D:prop><D:getetag/></D:prop></D:sync-collection>`;

describe('MOVE of a contact between address books over HTTP, and sync-collection paging with 507', () => {
  const server = carddavNodePerSuite();
  let agent: DavAgent;
  let personal: string;

  const token = async (book: string) => (await agent.propfind(book, undefined, undefined, '0'))[0].found.get('{DAV:}sync-token')!.text;
  const sync = async (book: string, since: string, limit = '') => {
    const { status, text, responses } = await agent.report(book, syncBody(since, limit));
    expect(status).toBe(207);
    const next = /<d:sync-token>([^<]+)<\/d:sync-token>\s*<\/d:multistatus>/.exec(text)![1];
    return { text, next, hrefs: responses.map((r) => r.href) };
  };

  beforeAll(async () => {
    agent = await server().addUser('mover');
    personal = await personalBook(agent);
    expect((await agent.request('MKCOL', '/dav/carddav/work/').send('')).status).toBe(201);
  }, 60_000);

  it('moves a contact to another book: both sync tokens change, each incremental sync shows its side', async () => {
    const put = await agent.put(`${personal}moved.vcf`, vcard('moved', 'Moving Mona'));
    expect(put.status).toBe(201);
    const [fromBefore, toBefore] = [await token(personal), await token('/dav/carddav/work/')];
    const move = await agent.request('MOVE', `${personal}moved.vcf`).set('Destination', `${server().url}/dav/carddav/work/moved.vcf`).set('If-Match', put.headers['etag']);
    expect(move.status).toBe(201);
    expect((await agent.request('GET', `${personal}moved.vcf`)).status).toBe(404);
    const moved = await agent.request('GET', '/dav/carddav/work/moved.vcf');
    expect(moved.text).toContain('FN:Moving Mona');
    expect(moved.headers['etag']).toBe(move.headers['etag']);
    expect(await token(personal)).not.toBe(fromBefore);
    expect(await token('/dav/carddav/work/')).not.toBe(toBefore);
    const fromSide = await sync(personal, fromBefore);
    expect(fromSide.text).toMatch(/moved\.vcf<\/d:href><d:status>HTTP\/1\.1 404/);
    const toSide = await sync('/dav/carddav/work/', toBefore);
    expect(toSide.hrefs).toEqual(['/dav/carddav/work/moved.vcf']);
    // The aggregated book sees a contact that stayed: same href, a changed token, and nothing else.
    expect(await agent.contactNames('/dav/carddav/Contacts/', 'macOS/14.5 (23F79) AddressBook/2487.600.111')).toContain('moved.vcf');
  });

  it('refuses a move into the global address list, a move onto an existing contact with Overwrite: F, and a stale If-Match', async () => {
    await agent.put(`${personal}a.vcf`, vcard('a', 'A'));
    await agent.put('/dav/carddav/work/b.vcf', vcard('b', 'B'));
    const to = (path: string) => agent.request('MOVE', `${personal}a.vcf`).set('Destination', `${server().url}${path}`);
    expect((await to('/dav/carddav/6/a.vcf')).status).toBe(403);
    expect((await to('/dav/carddav/work/b.vcf').set('Overwrite', 'F')).status).toBe(412);
    expect((await to('/dav/carddav/work/a.vcf').set('If-Match', '"stale"')).status).toBe(412);
    expect((await agent.request('GET', `${personal}a.vcf`)).status).toBe(200);
  });

  it('pages sync-collection: over the client limit it answers that many, 507 on the collection and a token to go on (DAVx5)', async () => {
    expect((await agent.request('MKCOL', '/dav/carddav/many/').send('')).status).toBe(201);
    for (let i = 0; i < 7; i++) expect((await agent.put(`/dav/carddav/many/c${i}.vcf`, vcard(`c${i}`, `C ${i}`))).status).toBe(201);
    const limit = '<D:limit><D:nresults>3</D:nresults></D:limit>';
    const seen: string[] = [];
    let since = '';
    const rounds: boolean[] = [];
    for (let round = 0; round < 5; round++) {
      const page = await sync('/dav/carddav/many/', since, limit);
      const truncated = /many\/<\/d:href><d:status>HTTP\/1\.1 507[^]*number-of-matches-within-limits/.test(page.text);
      rounds.push(truncated);
      seen.push(...page.hrefs.filter((h) => h !== '/dav/carddav/many/'));
      since = page.next;
      if (!truncated) break;
    }
    expect(rounds).toEqual([true, true, false]);
    expect(seen.map((h) => h.split('/').pop()).sort()).toEqual(['c0.vcf', 'c1.vcf', 'c2.vcf', 'c3.vcf', 'c4.vcf', 'c5.vcf', 'c6.vcf']);
    expect(since).toBe(await token('/dav/carddav/many/'));
    await agent.put('/dav/carddav/many/c1.vcf', vcard('c1', 'C one changed'));
    expect((await agent.request('DELETE', '/dav/carddav/many/c2.vcf')).status).toBe(204);
    const incremental = await sync('/dav/carddav/many/', since, limit);
    expect(incremental.hrefs.sort()).toEqual(['/dav/carddav/many/c1.vcf', '/dav/carddav/many/c2.vcf']);
    expect(incremental.text).not.toContain('507');
  });
});
