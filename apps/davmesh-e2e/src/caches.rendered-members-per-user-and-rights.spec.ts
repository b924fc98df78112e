import { CalendarFoldersList, CalendarFoldersShare } from '@davmesh/contracts';
import { eventIcs } from '@davmesh/testing';
import { carddavNodePerSuite, type DavAgent } from './carddav.fixture';

const PRIVILEGES = `<propfind xmlns="DAV:"><prop><getetag/><current-user-privilege-set/></prop></propfind>`;
const ETAGS = `<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>`;
const INITIAL_SYNC = `<sync-collection xmlns="DAV:"><sync-token/><sync-level>1</sync-level><prop><getetag/><current-user-privilege-set/></prop></sync-collection>`;

/**
 * PROPFIND Depth 1 answers a calendar's members from XML this node rendered before when nothing
 * they show has changed: what one user was shown must never reach another, nor outlive a write
 * or a change of rights, nor answer other properties.
 */
describe('PROPFIND Depth 1 and initial syncs from rendered members: per user, per rights, per properties asked, per revision', () => {
  const server = carddavNodePerSuite();
  let owner: DavAgent;
  let grantee: DavAgent;
  let calendar: string;

  /** Each member's privileges, by href, as this agent is shown them by PROPFIND Depth 1 or an initial sync. */
  const memberPrivileges = async (agent: DavAgent, path: string, by: 'propfind' | 'sync' = 'propfind') => {
    const responses = by === 'propfind' ? await agent.propfind(path, undefined, PRIVILEGES, '1') : (await agent.report(path, INITIAL_SYNC)).responses;
    return Object.fromEntries(
      responses
        .filter((r) => r.href !== path)
        .map((r) => [r.href, (r.found.get('{DAV:}current-user-privilege-set')?.children ?? []).flatMap((p) => p.children.map((c) => c.name.local)).sort().join(' ')]),
    );
  };

  beforeAll(async () => {
    owner = await server().addUser('rena', 'Rena Renderer');
    grantee = await server().addUser('remo', 'Remo Reader');
    const home = await owner.propfind('/dav/caldav/');
    calendar = home.find((r) => r.found.get('{DAV:}displayname')?.text === 'Calendar')!.href;
    for (const uid of ['r-1', 'r-2']) {
      expect((await owner.request('PUT', `${calendar}${uid}.ics`).set('Content-Type', 'text/calendar').send(eventIcs(uid, uid))).status).toBe(201);
    }
  }, 60_000);

  it('shows each user their own rights on the same members, and new rights at once', async () => {
    const ownerView = await memberPrivileges(owner, calendar);
    expect(Object.values(ownerView)).toHaveLength(2);
    for (const privileges of Object.values(ownerView)) expect(privileges).toContain('write');
    const folders = await server().bus.call(CalendarFoldersList, { userId: owner.user.userId });
    const { folderId } = folders.find((f) => f.displayName === 'Calendar')!;
    const share = (rights: 'read' | 'write') => server().bus.call(CalendarFoldersShare, { userId: owner.user.userId, folderId, granteeUserId: grantee.user.userId, rights });
    await share('read');
    const shared = `/dav/caldav/${folderId}/`;
    const readView = await memberPrivileges(grantee, shared);
    expect(Object.values(readView)).toHaveLength(2);
    for (const privileges of Object.values(readView)) expect(privileges).not.toContain('write');
    // The same request again is answered from what the first rendered, and must say the same.
    expect(await memberPrivileges(grantee, shared)).toEqual(readView);
    // An initial sync renders members as PROPFIND does, and is kept alike.
    expect(await memberPrivileges(owner, calendar, 'sync')).toEqual(ownerView);
    expect(await memberPrivileges(grantee, shared, 'sync')).toEqual(readView);
    await share('write');
    for (const privileges of Object.values(await memberPrivileges(grantee, shared))) expect(privileges).toContain('write');
    for (const privileges of Object.values(await memberPrivileges(grantee, shared, 'sync'))) expect(privileges).toContain('write');
    expect(await memberPrivileges(owner, calendar)).toEqual(ownerView);
  });

  it('answers other properties afresh, and a write at once', async () => {
    const etags = await owner.propfind(calendar, undefined, ETAGS, '1');
    expect(etags.filter((r) => r.href !== calendar).every((r) => r.found.has('{DAV:}getetag') && !r.found.has('{DAV:}current-user-privilege-set'))).toBe(true);
    const before = new Map(etags.map((r) => [r.href, r.found.get('{DAV:}getetag')?.text]));
    expect((await owner.request('PUT', `${calendar}r-1.ics`).set('Content-Type', 'text/calendar').send(eventIcs('r-1', 'r-1 moved'))).status).toBe(204);
    const after = new Map((await owner.propfind(calendar, undefined, ETAGS, '1')).map((r) => [r.href, r.found.get('{DAV:}getetag')?.text]));
    expect(after.get(`${calendar}r-1.ics`)).not.toEqual(before.get(`${calendar}r-1.ics`));
    expect(after.get(`${calendar}r-2.ics`)).toEqual(before.get(`${calendar}r-2.ics`));
  });
});
