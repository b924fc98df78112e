import { CalendarFoldersAdminShare, CalendarFoldersShare, UsersAdd, type User } from '@davmesh/contracts';
import { eventIcs } from '@davmesh/testing';
import { runCli } from '@davmesh/cli';
import { carddavNodePerSuite, type DavAgent } from './carddav.fixture';

const PRIVILEGE_SET = `<propfind xmlns="DAV:"><prop><current-user-privilege-set/></prop></propfind>`;

describe('davmesh folder share --type calendar: calendars shared by the operator, seen over CalDAV', () => {
  const server = carddavNodePerSuite();
  let owner: DavAgent;
  let grantee: DavAgent;
  let stranger: User;
  let calendarId: number;
  let collection: string;

  const run = async (...argv: string[]) => {
    const printed: string[] = [];
    const code = await runCli(argv, { DAVMESH_DATA: server().dataDir }, (line) => printed.push(line));
    return { code, printed };
  };
  const putEvent = (agent: DavAgent, name: string, uid: string) =>
    agent.request('PUT', `${collection}${name}`).set('Content-Type', 'text/calendar; charset=utf-8').send(eventIcs(uid, uid));

  /** The grantee's privileges on the shared calendar, or undefined when his calendar home does not list it. */
  const granteePrivileges = async (): Promise<string[] | undefined> => {
    const home = (await grantee.propfind('/dav/caldav/')).map((r) => r.href);
    if (!home.includes(collection)) return undefined;
    const [self] = await grantee.propfind(collection, undefined, PRIVILEGE_SET, '0');
    const privileges = self.found.get('{DAV:}current-user-privilege-set')?.children ?? [];
    return privileges.flatMap((p) => p.children.map((c) => c.name.local)).sort();
  };

  beforeAll(async () => {
    owner = await server().addUser('olga', 'Olga Owner');
    grantee = await server().addUser('gert', 'Gert Grantee');
    const elsewhere = await server().addContext('elsewhere');
    stranger = await server().bus.call(UsersAdd, { login: `otto-${elsewhere}`, password: 'otto-pw', contextId: elsewhere, displayName: 'Otto Outsider' });
  }, 60_000);

  it('lists calendars next to address books, and only calendars with --type calendar', async () => {
    const all = await run('folder', 'list', '--user', owner.user.login);
    expect(all.code).toBe(0);
    expect(all.printed.some((l) => l.split('\t')[1] === 'contacts')).toBe(true);
    const calendars = await run('folder', 'list', '--user', owner.user.login, '--type', 'calendar');
    expect(calendars.printed.map((l) => l.split('\t').slice(1))).toEqual([
      ['calendar', 'VEVENT', 'write', 'own', 'Calendar'],
      ['calendar', 'VTODO', 'write', 'own', 'Tasks'],
    ]);
    calendarId = Number(calendars.printed[0].split('\t')[0]);
    collection = `/dav/caldav/${calendarId}/`;
    expect((await putEvent(owner, 'anton.ics', 'anton-1')).status).toBe(201);
  });

  it('shares read-only: the grantee sees the calendar with read privileges, reads it, and gets 403 need-privileges on PUT, DELETE, PROPPATCH and MOVE', async () => {
    expect(await granteePrivileges()).toBeUndefined();
    const shared = await run('folder', 'share', String(calendarId), '--type', 'calendar', '--with', grantee.user.login, '--rights', 'read');
    expect(shared).toEqual({ code: 0, printed: [`calendar ${calendarId} of user ${owner.user.userId} shared with ${grantee.user.login} (read)`] });
    expect(await granteePrivileges()).toEqual(['read', 'read-current-user-privilege-set', 'read-free-busy']);
    expect((await grantee.request('GET', `${collection}anton.ics`)).text).toContain('UID:anton-1');

    const put = await putEvent(grantee, 'gert.ics', 'gert-1');
    expect(put.status).toBe(403);
    expect(put.text).toMatch(/<d:need-privileges\/>/);
    expect((await grantee.request('DELETE', `${collection}anton.ics`)).status).toBe(403);
    const rename = await grantee
      .request('PROPPATCH', collection)
      .set('Content-Type', 'application/xml')
      .send('<propertyupdate xmlns="DAV:"><set><prop><displayname>Gert\'s now</displayname></prop></set></propertyupdate>');
    expect([rename.status, rename.text]).toEqual([403, expect.stringMatching(/<d:need-privileges\/>/)]);
    const own = (await grantee.propfind('/dav/caldav/')).map((r) => r.href).find((href) => href !== '/dav/caldav/' && href !== collection)!;
    const move = await grantee.request('MOVE', `${collection}anton.ics`).set('Destination', `${own}anton.ics`);
    expect([move.status, move.text]).toEqual([403, expect.stringMatching(/<d:need-privileges\/>/)]);
    expect((await owner.request('GET', `${collection}gert.ics`)).status).toBe(404);

    const listed = await run('folder', 'list', '--user', grantee.user.login, '--type', 'calendar');
    expect(listed.printed).toContain(`${calendarId}\tcalendar\tVEVENT\tread\tshared by user ${owner.user.userId}\tCalendar`);
  });

  it('shares writable: the grantee writes into the owner\'s calendar, but may not delete it', async () => {
    expect((await run('folder', 'share', String(calendarId), '--type', 'calendar', '--with', grantee.user.login, '--rights', 'write')).code).toBe(0);
    expect(await granteePrivileges()).toEqual(expect.arrayContaining(['read', 'write', 'write-content']));
    expect((await putEvent(grantee, 'gert.ics', 'gert-1')).status).toBe(201);
    expect((await owner.request('GET', `${collection}gert.ics`)).text).toContain('UID:gert-1');
    expect((await grantee.request('DELETE', collection)).status).toBe(403);
  });

  it('unshares: the calendar leaves the grantee\'s home and its events are out of reach', async () => {
    const unshared = await run('folder', 'unshare', String(calendarId), '--type', 'calendar', '--with', grantee.user.login);
    expect(unshared).toEqual({ code: 0, printed: [`calendar ${calendarId} of user ${owner.user.userId} no longer shared with ${grantee.user.login}`] });
    expect(await granteePrivileges()).toBeUndefined();
    expect((await grantee.request('GET', `${collection}anton.ics`)).status).toBe(404);
    expect((await owner.request('GET', `${collection}gert.ics`)).status).toBe(200);
  });

  it('grants nothing to a user of another context, on the CLI and over the bus', async () => {
    expect((await run('folder', 'share', String(calendarId), '--type', 'calendar', '--with', stranger.login)).code).toBe(1);
    const asOwner = await server().bus.request(CalendarFoldersShare, {
      userId: owner.user.userId,
      folderId: calendarId,
      granteeUserId: stranger.userId,
      rights: 'read',
    });
    expect(asOwner.ok ? undefined : asOwner.error.code).toBe('not-found');
    const asOperator = await server().bus.request(CalendarFoldersAdminShare, {
      contextId: server().contextId,
      folderId: calendarId,
      granteeUserId: stranger.userId,
      rights: 'read',
    });
    expect(asOperator.ok ? undefined : asOperator.error.code).toBe('not-found');
    expect((await run('folder', 'list', '--user', stranger.login, '--type', 'calendar')).printed.every((l) => l.includes('\town\t'))).toBe(true);
  });

  it('refuses an unknown calendar, the owner as grantee, a grantee re-sharing, and an unknown --type', async () => {
    expect((await run('folder', 'share', '99999', '--type', 'calendar', '--with', grantee.user.login)).code).toBe(1);
    expect((await run('folder', 'share', String(calendarId), '--type', 'calendar', '--with', owner.user.login)).code).toBe(1);
    expect((await run('folder', 'share', String(calendarId), '--type', 'calendar', '--with', grantee.user.login, '--rights', 'write')).code).toBe(0);
    const reshare = await server().bus.request(CalendarFoldersShare, {
      userId: grantee.user.userId,
      folderId: calendarId,
      granteeUserId: stranger.userId,
      rights: 'read',
    });
    expect(reshare.ok ? undefined : reshare.error).toMatchObject({ code: 'forbidden', details: { condition: 'need-privileges' } });
    expect((await run('folder', 'share', String(calendarId), '--type', 'calendars', '--with', grantee.user.login)).code).toBe(2);
  });
});
