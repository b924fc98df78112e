import { DAVX5_UA, eventually, vcard } from '@davmesh/testing';
import { runCli } from '@davmesh/cli';
import { carddavNodePerSuite, personalBook, type DavAgent } from './carddav.fixture';

const PRIVILEGES = `<propfind xmlns="DAV:"><prop><current-user-privilege-set/></prop></propfind>`;

describe('davmesh folder share / unshare / list: contact folders shared by the operator, seen over CardDAV', () => {
  const server = carddavNodePerSuite();
  let olga: DavAgent;
  let gert: DavAgent;
  let folderId: number;
  let env: NodeJS.ProcessEnv;

  const cli = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await runCli(argv, env, (line) => lines.push(line));
    return { code, lines };
  };

  /** The privileges gert has on olga's book (Depth 0), or undefined when it is not in his home. */
  const gertsPrivileges = async (): Promise<string[] | undefined> => {
    const href = `/dav/carddav/${folderId}/`;
    if (!(await gert.addressbooks(DAVX5_UA)).includes(href)) return undefined;
    const [self] = await gert.propfind(href, DAVX5_UA, PRIVILEGES, '0');
    const set = self.found.get('{DAV:}current-user-privilege-set');
    return (set?.children ?? []).flatMap((p) => p.children.map((c) => c.name.local)).sort();
  };

  beforeAll(async () => {
    env = { DAVMESH_DATA: server().dataDir };
    olga = await server().addUser('olga', 'Olga Owner');
    gert = await server().addUser('gert', 'Gert Grantee');
    expect((await olga.put(`${await personalBook(olga)}anton.vcf`, vcard('anton-1', 'Anton Shared'))).status).toBe(201);
  }, 60_000);

  it('lists a user\'s folders with their kind and rights', async () => {
    const { code, lines } = await cli('folder', 'list', '--user', olga.user.login);
    expect(code).toBe(0);
    const personal = lines.find((l) => l.split('\t')[2] === 'personal')!;
    expect(personal.split('\t').slice(2)).toEqual(['personal', 'write', 'own', 'Contacts']);
    expect(lines.some((l) => l.startsWith('6\tcontacts\tgal\tread\t-\t'))).toBe(true);
    folderId = Number(personal.split('\t')[0]);
  });

  it('shares read-only: the grantee sees the book with read privileges and a PUT gets 403 need-privileges', async () => {
    expect(await gertsPrivileges()).toBeUndefined();
    const shared = await cli('folder', 'share', String(folderId), '--with', gert.user.login, '--rights', 'read');
    expect(shared).toEqual({ code: 0, lines: [`folder ${folderId} of user ${olga.user.userId} shared with ${gert.user.login} (read)`] });
    await eventually(async () => expect(await gertsPrivileges()).toEqual(['read', 'read-current-user-privilege-set']));
    expect(await gert.contactNames(`/dav/carddav/${folderId}/`)).toEqual(['anton.vcf']);
    const refused = await gert.put(`/dav/carddav/${folderId}/gert.vcf`, vcard('gert-1', 'Gert Was Here'));
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/<d:need-privileges\/>/);
    expect(await olga.contactNames(await personalBook(olga))).toEqual(['anton.vcf']);

    const listed = await cli('folder', 'list', '--user', gert.user.login);
    expect(listed.lines).toContain(`${folderId}\tcontacts\tpersonal\tread\tshared by user ${olga.user.userId}\tContacts`);
  });

  it('shares writable: the grantee may PUT', async () => {
    expect((await cli('folder', 'share', String(folderId), '--with', gert.user.login, '--rights', 'write')).code).toBe(0);
    await eventually(async () => expect(await gertsPrivileges()).toEqual(expect.arrayContaining(['read', 'write'])));
    expect((await gert.put(`/dav/carddav/${folderId}/gert.vcf`, vcard('gert-1', 'Gert Was Here'))).status).toBe(201);
    expect(await olga.contactNames(await personalBook(olga))).toEqual(['anton.vcf', 'gert.vcf']);
  });

  it('unshares: the book leaves the grantee\'s home and its contacts are out of reach', async () => {
    const { code, lines } = await cli('folder', 'unshare', String(folderId), '--with', gert.user.login);
    expect(code).toBe(0);
    expect(lines).toEqual([`folder ${folderId} of user ${olga.user.userId} no longer shared with ${gert.user.login}`]);
    await eventually(async () => expect(await gertsPrivileges()).toBeUndefined());
    expect((await gert.request('GET', `/dav/carddav/${folderId}/anton.vcf`)).status).toBe(404);
  });

  it('refuses to share the global address list, an unknown folder, a folder with its owner, or bad rights', async () => {
    expect((await cli('folder', 'share', '6', '--with', gert.user.login)).code).toBe(1);
    expect((await cli('folder', 'share', '99999', '--with', gert.user.login)).code).toBe(1);
    expect((await cli('folder', 'share', String(folderId), '--with', olga.user.login)).code).toBe(1);
    expect((await cli('folder', 'share', String(folderId), '--with', gert.user.login, '--rights', 'admin')).code).toBe(2);
  });
});
