import { ConfigSet, ContactFoldersList, ContactFoldersShare, ContextsAdd, UsersAdd, UsersSetEnabled, UsersUpdate, type User } from '@davmesh/contracts';
import { APPLE_ADDRESSBOOK_UA, carddavClient, describeWithInfrastructure, DAVX5_UA, eventually, vcard } from '@davmesh/testing';
import { dav } from './dav-request.fixture';
import { tsdavSession } from './carddav.fixture';
import { distributedClusterPerSuite } from './distributed-cluster';

const AGGREGATED = '/dav/carddav/Contacts/';
const GAL = '/dav/carddav/6/';

describeWithInfrastructure('CardDAV on real NATS and PostgreSQL: two contacts replicas, two edges', () => {
  let edgeA: string;
  let edgeB: string;
  let anna: User;

  const cluster = distributedClusterPerSuite(async ({ start, bus }) => {
    await start('config');
    await Promise.all([start('contacts'), start('contacts')]);
    edgeA = (await start('edge')).url!;
    edgeB = (await start('edge')).url!;
    await bus.call(ContextsAdd, { contextId: 1 });
    anna = await bus.call(UsersAdd, { login: 'anna', password: 'anna-pw', contextId: 1, displayName: 'Anna' });
  });

  it('writes through one edge and reads through the other, with a real client', async () => {
    const onA = await carddavClient(edgeA, 'anna', 'anna-pw', DAVX5_UA);
    const personalA = (await onA.fetchAddressBooks()).find((b) => b.displayName === 'Contacts')!;
    expect((await onA.createVCard({ addressBook: personalA, filename: 'x.vcf', vCardString: vcard('x-1', 'Xavier') })).status).toBe(201);
    const onB = await carddavClient(edgeB, 'anna', 'anna-pw', DAVX5_UA);
    const personalB = (await onB.fetchAddressBooks()).find((b) => b.displayName === 'Contacts')!;
    expect(personalB.syncToken).toBe((await onA.fetchAddressBooks()).find((b) => b.displayName === 'Contacts')!.syncToken);
    expect((await onB.fetchVCards({ addressBook: personalB })).map((c) => String(c.data))[0]).toContain('FN:Xavier');
  });

  it('shows a user added, renamed or disabled in the directory in the global address list seen through the second edge, without restart', async () => {
    const onB = await carddavClient(edgeB, 'anna', 'anna-pw', DAVX5_UA);
    const galText = async () => {
      const gal = (await onB.fetchAddressBooks()).find((b) => b.displayName === 'Global Address List')!;
      return (await onB.fetchVCards({ addressBook: gal })).map((c) => String(c.data)).join('\n');
    };
    expect(await galText()).not.toContain('FN:Gustav New');
    await cluster().bus.call(UsersAdd, { login: 'gustav', password: 'g', contextId: 1, displayName: 'Gustav New' });
    await eventually(async () => expect(await galText()).toContain('FN:Gustav New'));
    await cluster().bus.call(UsersUpdate, { login: 'gustav', displayName: 'Gustav Renamed' });
    await eventually(async () => expect(await galText()).toContain('FN:Gustav Renamed'));
    expect(await galText()).not.toContain('FN:Gustav New');
    await cluster().bus.call(UsersSetEnabled, { login: 'gustav', enabled: false });
    await eventually(async () => expect(await galText()).not.toContain('FN:Gustav Renamed'));
  });

  it('applies exposedCollections set on the bus on both edges, to Apple Address Book and DAVx5 alike (tsdav)', async () => {
    const user = await cluster().bus.call(UsersAdd, { login: 'mona', password: 'mona-pw', contextId: 1, displayName: 'Mona' });
    const books = async (edge: string, userAgent: string) => (await tsdavSession(edge, 'mona', 'mona-pw', userAgent)).books;
    const [personal] = (await books(edgeA, DAVX5_UA)).filter((b) => b !== GAL);
    for (const edge of [edgeA, edgeB]) {
      expect(await books(edge, DAVX5_UA)).toEqual([personal, GAL].sort());
      expect(await books(edge, APPLE_ADDRESSBOOK_UA)).toEqual([AGGREGATED]);
    }

    await cluster().bus.call(ConfigSet, { key: 'com.openexchange.carddav.exposedCollections', value: '2', userId: user.userId });
    for (const edge of [edgeA, edgeB]) await eventually(async () => expect(await books(edge, DAVX5_UA)).toEqual([AGGREGATED]));
    const created = await tsdavSession(edgeA, 'mona', 'mona-pw', DAVX5_UA, { book: AGGREGATED, uid: 'mona-1' });
    expect(created.created).toBe(201);

    await cluster().bus.call(ConfigSet, { key: 'com.openexchange.carddav.exposedCollections', value: '1', userId: user.userId });
    for (const edge of [edgeA, edgeB]) {
      await eventually(async () => expect(await books(edge, APPLE_ADDRESSBOOK_UA)).toEqual([personal, GAL].sort()));
    }
    expect((await tsdavSession(edgeB, 'mona', 'mona-pw', APPLE_ADDRESSBOOK_UA)).contents[personal]).toEqual(['mona-1.vcf']);
  });

  it('writes through one edge into an address book made, deleted and made again on the other, at once', async () => {
    const sendA = dav(edgeA, 'anna', 'anna-pw');
    const sendB = dav(edgeB, 'anna', 'anna-pw');
    const personal = (await cluster().bus.call(ContactFoldersList, { userId: anna.userId, contextId: 1 })).find((f) => f.kind === 'personal')!;
    const put = (path: string) => sendB('PUT', path, { 'Content-Type': 'text/vcard' }, vcard(path, path.split('/').pop()!));
    expect((await put(`/dav/carddav/${personal.folderId}/warm.vcf`)).status).toBe(201);
    expect((await sendA('MKCOL', '/dav/carddav/work/')).status).toBe(201);
    expect((await put('/dav/carddav/work/first.vcf')).status).toBe(201);
    expect((await sendB('GET', '/dav/carddav/work/first.vcf')).status).toBe(200);
    expect((await sendA('DELETE', '/dav/carddav/work/')).status).toBe(204);
    expect((await sendA('MKCOL', '/dav/carddav/work/')).status).toBe(201);
    expect((await put('/dav/carddav/work/second.vcf')).status).toBe(201);
    const listing = await sendA('PROPFIND', '/dav/carddav/work/', { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>');
    expect(listing.text).toContain('second.vcf');
    expect(listing.text).not.toContain('first.vcf');
  });

  it('shows a book shared on the bus in the grantee\'s aggregated book on the other edge at once, and refuses it there as soon as the share is taken back', async () => {
    const ivo = await cluster().bus.call(UsersAdd, { login: 'ivo', password: 'ivo-pw', contextId: 1, displayName: 'Ivo' });
    const personal = (await cluster().bus.call(ContactFoldersList, { userId: anna.userId, contextId: 1 })).find((f) => f.kind === 'personal')!;
    const sendIvo = dav(edgeB, 'ivo', 'ivo-pw');
    const share = (rights: 'read' | 'none') =>
      cluster().bus.call(ContactFoldersShare, { userId: anna.userId, contextId: 1, folderId: personal.folderId, granteeUserId: ivo.userId, rights });
    const multiget = (href: string) =>
      sendIvo(
        'REPORT',
        AGGREGATED,
        { 'User-Agent': APPLE_ADDRESSBOOK_UA, 'Content-Type': 'application/xml', Depth: '1' },
        `<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop><D:href>${href}</D:href></C:addressbook-multiget>`,
      );
    expect((await dav(edgeA, 'anna', 'anna-pw')('PUT', `/dav/carddav/${personal.folderId}/shared.vcf`, { 'Content-Type': 'text/vcard' }, vcard('shared', 'Shared'))).status).toBe(201);
    expect((await multiget(`${AGGREGATED}shared.vcf`)).text).toContain('404');

    await share('read');
    const seen = await multiget(`${AGGREGATED}shared.vcf`);
    expect(seen.status).toBe(207);
    expect(seen.text).toContain('<d:getetag>');
    expect((await sendIvo('GET', `/dav/carddav/${personal.folderId}/shared.vcf`)).status).toBe(200);

    await share('none');
    expect((await sendIvo('GET', `/dav/carddav/${personal.folderId}/shared.vcf`)).status).toBe(404);
    expect((await multiget(`${AGGREGATED}shared.vcf`)).text).not.toContain('<d:getetag>');
  });
});
