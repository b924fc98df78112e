import { APPLE_CONTACTS_UA, carddavClient, DAVX5_UA, vcard } from '@davmesh/testing';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('CardDAV through discovery with a real client (embedded mode)', () => {
  const server = sharedNodePerSuite();
  let url: string;
  let bob: string;
  let demo: { login: string; password: string };

  beforeAll(async () => {
    url = server().url;
    demo = server().demo;
    bob = (await server().addUser('bob', 'bob-pw', { displayName: 'Bob Builder', email: 'bob@example.org' })).login;
  }, 60_000);

  it('shows DAVx5 the personal folder and the global address list as separate address books, and round-trips a contact', async () => {
    const client = await carddavClient(url, bob, 'bob-pw', DAVX5_UA);
    const books = await client.fetchAddressBooks();
    const names = books.map((b) => b.displayName).sort();
    expect(names).toEqual(['Contacts', 'Global Address List']);
    const gal = books.find((b) => b.displayName === 'Global Address List')!;
    expect(gal.url).toMatch(/\/dav\/carddav\/6\/$/);
    const galCards = await client.fetchVCards({ addressBook: gal });
    expect(galCards.map((c) => String(c.data)).join('\n')).toContain('FN:Bob Builder');

    const personal = books.find((b) => b.displayName === 'Contacts')!;
    const created = await client.createVCard({ addressBook: personal, filename: 'alice.vcf', vCardString: vcard('alice-1', 'Alice Doe') });
    expect(created.status).toBe(201);
    const [stored] = await client.fetchVCards({ addressBook: personal });
    expect(stored.url).toMatch(/\/alice\.vcf$/);
    expect(String(stored.data)).toContain('FN:Alice Doe');
    expect(stored.etag).toMatch(/^"/);

    const updated = await client.updateVCard({ vCard: { ...stored, data: vcard('alice-1', 'Alice Smith') } });
    expect(updated.status).toBe(204);
    const stale = await client.updateVCard({ vCard: { ...stored, data: vcard('alice-1', 'Alice Stale') } });
    expect(stale.status).toBe(412);
    const [again] = await client.fetchVCards({ addressBook: personal });
    expect(String(again.data)).toContain('FN:Alice Smith');
    expect((await client.deleteVCard({ vCard: again })).status).toBe(204);
    expect(await client.fetchVCards({ addressBook: personal })).toEqual([]);
  });

  it('shows Apple Contacts one aggregated address book, where new contacts land in the personal folder', async () => {
    const apple = await carddavClient(url, demo.login, demo.password, APPLE_CONTACTS_UA);
    const books = await apple.fetchAddressBooks();
    expect(books.map((b) => b.url.replace(/^https?:\/\/[^/]+/, ''))).toEqual(['/dav/carddav/Contacts/']);
    const [aggregated] = books;
    expect((await apple.createVCard({ addressBook: aggregated, filename: 'carol.vcf', vCardString: vcard('carol-1', 'Carol') })).status).toBe(201);
    const cards = await apple.fetchVCards({ addressBook: aggregated });
    const text = cards.map((c) => String(c.data)).join('\n');
    expect(text).toContain('FN:Carol');
    expect(text).toContain('FN:Bob Builder');
    expect(cards.find((c) => String(c.data).includes('FN:Carol'))?.url).toMatch(/\/dav\/carddav\/Contacts\/carol\.vcf$/);

    const davx5 = await carddavClient(url, demo.login, demo.password, DAVX5_UA);
    const personal = (await davx5.fetchAddressBooks()).find((b) => b.displayName === 'Contacts')!;
    const inPersonal = await davx5.fetchVCards({ addressBook: personal });
    expect(inPersonal.map((c) => c.url.split('/').pop())).toEqual(['carol.vcf']);
  });

  it('syncs incrementally: the token changes with any member folder and the next sync returns exactly the changes', async () => {
    const apple = await carddavClient(url, demo.login, demo.password, APPLE_CONTACTS_UA);
    const [aggregated] = await apple.fetchAddressBooks();
    const first = await apple.syncCollection({ url: aggregated.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: aggregated.syncToken });
    expect(first.filter((r) => r.href)).toEqual([]);
    await apple.createVCard({ addressBook: aggregated, filename: 'dave.vcf', vCardString: vcard('dave-1', 'Dave') });
    await server().addUser('erin', 'x', { displayName: 'Erin New' });
    const [after] = await apple.fetchAddressBooks();
    expect(after.syncToken).not.toBe(aggregated.syncToken);
    const changes = await apple.syncCollection({ url: aggregated.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: aggregated.syncToken });
    const hrefs = changes.filter((r) => r.href).map((r) => r.href!.split('/').pop()).sort();
    expect(hrefs).toEqual(['dave.vcf', expect.stringMatching(/^gal-user-\d+\.vcf$/)]);
  });
});
