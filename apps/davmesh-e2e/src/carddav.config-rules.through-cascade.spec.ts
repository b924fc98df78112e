import { ContactFoldersList, ContactFoldersShare } from '@davmesh/contracts';
import { APPLE_ADDRESSBOOK_UA, DAVX5_441_UA, eventually, PRINCIPAL_PROPFIND, parseMultistatus, vcard } from '@davmesh/testing';
import { carddavNodePerSuite, personalBook, type DavAgent } from './carddav.fixture';

const AGGREGATED = '/dav/carddav/Contacts/';
const GAL = '/dav/carddav/6/';
const AGENTS = [
  ['Apple Address Book', APPLE_ADDRESSBOOK_UA],
  ['DAVx5', DAVX5_441_UA],
] as const;

describe('com.openexchange.carddav.* rules, set through the config cascade (embedded)', () => {
  const server = carddavNodePerSuite();
  let users = 0;

  /** A fresh user with a personal contact, an address book of their own ("team") with a contact, and a folder shared by someone else. */
  const newUser = async () => {
    users++;
    const agent = await server().addUser(`rules${users}`, `Rules ${users}`);
    const personal = await personalBook(agent);
    expect((await agent.put(`${personal}p${users}.vcf`, vcard(`p-${users}`, 'Personal Person'))).status).toBe(201);
    expect((await agent.request('MKCOL', '/dav/carddav/team/').send('')).status).toBe(201);
    expect((await agent.put(`/dav/carddav/team/t${users}.vcf`, vcard(`t-${users}`, 'Team Mate'))).status).toBe(201);
    const sharer = await server().addUser(`sharer${users}`);
    expect((await sharer.request('MKCOL', '/dav/carddav/shared/').send('')).status).toBe(201);
    expect((await sharer.put(`/dav/carddav/shared/s${users}.vcf`, vcard(`s-${users}`, 'Shared Sam'))).status).toBe(201);
    const sharedId = await folderIdOf(sharer, 'shared');
    await server().bus.call(ContactFoldersShare, {
      userId: sharer.user.userId,
      contextId: server().contextId,
      folderId: sharedId,
      granteeUserId: agent.user.userId,
      rights: 'read',
    });
    return { agent, personal, n: users, sharedHref: `/dav/carddav/${sharedId}/` };
  };

  /** The id of a book the user made with MKCOL (its href shows the slug instead). */
  const folderIdOf = async (agent: DavAgent, slug: string) => {
    const folders = await server().bus.call(ContactFoldersList, { userId: agent.user.userId, contextId: server().contextId });
    return folders.find((f) => f.slug === slug)!.folderId;
  };

  /** Waits until the edge's config cache shows the user the expected home. */
  const settle = (agent: DavAgent, userAgent: string, expected: (books: string[]) => void) =>
    eventually(async () => expected(await agent.addressbooks(userAgent)));

  beforeAll(async () => {
  }, 60_000);

  describe.each(AGENTS)('exposedCollections with the %s user agent', (_name, userAgent) => {
    it('1: every visible folder is its own address book, and there is no aggregated one', async () => {
      const { agent, personal, sharedHref } = await newUser();
      await agent.configure('com.openexchange.carddav.exposedCollections', '1');
      await settle(agent, userAgent, (books) => expect(books.sort()).toEqual([personal, GAL, '/dav/carddav/team/', sharedHref].sort()));
      expect((await agent.request('PROPFIND', AGGREGATED, userAgent).set('Depth', '0').send('')).status).toBe(404);
      expect(await agent.contactNames('/dav/carddav/team/', userAgent)).toEqual([`t${users}.vcf`]);
    });

    it('2: only the aggregated address book, holding every visible folder', async () => {
      const { agent, n } = await newUser();
      await agent.configure('com.openexchange.carddav.exposedCollections', '2');
      await settle(agent, userAgent, (books) => expect(books).toEqual([AGGREGATED]));
      const names = await agent.contactNames(AGGREGATED, userAgent);
      expect(names).toEqual(expect.arrayContaining([`p${n}.vcf`, `t${n}.vcf`, `s${n}.vcf`]));
      expect(names.some((name) => /^gal-user-\d+\.vcf$/.test(name))).toBe(true);
      expect((await agent.request('PROPFIND', GAL, userAgent).set('Depth', '0').send('')).status).toBe(404);
    });
  });

  it('0 (default): the aggregated book for Apple Address Book, per-folder books for DAVx5', async () => {
    const { agent, personal } = await newUser();
    expect(await agent.addressbooks(APPLE_ADDRESSBOOK_UA)).toEqual([AGGREGATED]);
    expect(await agent.addressbooks(DAVX5_441_UA)).toEqual(expect.arrayContaining([personal, GAL, '/dav/carddav/team/']));
  });

  it('reducedAggregatedCollection: the aggregated book holds only the global address list and the personal folder', async () => {
    const { agent, n } = await newUser();
    const before = await agent.contactNames(AGGREGATED, APPLE_ADDRESSBOOK_UA);
    expect(before).toEqual(expect.arrayContaining([`p${n}.vcf`, `t${n}.vcf`, `s${n}.vcf`]));
    await agent.configure('com.openexchange.carddav.reducedAggregatedCollection', true);
    await eventually(async () => {
      const names = await agent.contactNames(AGGREGATED, APPLE_ADDRESSBOOK_UA);
      expect(names).toContain(`p${n}.vcf`);
      expect(names).not.toContain(`t${n}.vcf`);
      expect(names).not.toContain(`s${n}.vcf`);
      expect(names.some((name) => /^gal-user-\d+\.vcf$/.test(name))).toBe(true);
    });
    // Its sync token covers the two members only: a change in "team" leaves it alone.
    const token = async () => (await agent.propfind(AGGREGATED, APPLE_ADDRESSBOOK_UA, undefined, '0'))[0].found.get('{DAV:}sync-token')?.text;
    const tokenBefore = await token();
    expect((await agent.put(`/dav/carddav/team/t${n}b.vcf`, vcard(`t-${n}-b`, 'Team Two'))).status).toBe(201);
    expect(await token()).toBe(tokenBefore);
  });

  it('ignoreFolders: the listed folders are left out everywhere, per-folder and aggregated', async () => {
    const { agent, personal, n } = await newUser();
    const teamId = await folderIdOf(agent, 'team');
    await agent.configure('com.openexchange.carddav.ignoreFolders', `6, ${teamId}`);
    await settle(agent, DAVX5_441_UA, (books) => {
      expect(books).not.toContain(GAL);
      expect(books).not.toContain('/dav/carddav/team/');
      expect(books).toContain(personal);
    });
    expect((await agent.request('PROPFIND', GAL, DAVX5_441_UA).set('Depth', '0').send('')).status).toBe(404);
    expect((await agent.request('GET', `/dav/carddav/team/t${n}.vcf`, DAVX5_441_UA)).status).toBe(404);
    const aggregated = await agent.contactNames(AGGREGATED, APPLE_ADDRESSBOOK_UA);
    expect(aggregated).toContain(`p${n}.vcf`);
    expect(aggregated).toContain(`s${n}.vcf`);
    expect(aggregated).not.toContain(`t${n}.vcf`);
    expect(aggregated.some((name) => name.startsWith('gal-user-'))).toBe(false);
  });

  it('enabled=false: 403 on the address book home and its books, and no addressbook-home-set', async () => {
    const { agent, personal } = await newUser();
    const homeSet = async () => {
      const response = await agent.request('PROPFIND', '/dav/').set('Depth', '0').send(PRINCIPAL_PROPFIND);
      return (await parseMultistatus(response.text))[0].found.has('{urn:ietf:params:xml:ns:carddav}addressbook-home-set');
    };
    expect(await homeSet()).toBe(true);
    await agent.configure('com.openexchange.carddav.enabled', false);
    await eventually(async () => expect((await agent.request('PROPFIND', '/dav/carddav/').set('Depth', '0').send('')).status).toBe(403));
    expect(await homeSet()).toBe(false);
    expect((await agent.request('PROPFIND', personal).set('Depth', '1').send('')).status).toBe(403);
    expect((await agent.put(`${personal}late.vcf`, vcard('late', 'Late'))).status).toBe(403);
    await agent.configure('com.openexchange.carddav.enabled', true);
    await eventually(async () => expect((await agent.request('PROPFIND', '/dav/carddav/').set('Depth', '0').send('')).status).toBe(207));
  });
});
