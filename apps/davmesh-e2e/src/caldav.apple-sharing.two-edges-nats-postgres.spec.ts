import { createBusClient, type BusClient } from '@davmesh/bus';
import { ContextsAdd, UsersAdd, type User } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { APPLE_CALENDAR_UA, basicAuth, createTestDatabase, describeWithInfrastructure, eventIcs, randomSubjectPrefix, TEST_NATS_URL, type TestDatabase } from '@davmesh/testing';

const CS = 'xmlns:CS="http://calendarserver.org/ns/"';
const XML = { 'Content-Type': 'text/xml; charset=utf-8' };
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const share = (address: string, access: 'read' | 'read-write') =>
  `<?xml version="1.0" encoding="utf-8" ?><CS:share xmlns:D="DAV:" ${CS}><CS:set><D:href>${address}</D:href><CS:summary>Team</CS:summary><CS:${access}/></CS:set></CS:share>`;
const unshare = (address: string) => `<?xml version="1.0" encoding="utf-8" ?><CS:share xmlns:D="DAV:" ${CS}><CS:remove><D:href>${address}</D:href></CS:remove></CS:share>`;
const accept = (uid: string, hostUrl: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><C:invite-reply xmlns:C="http://calendarserver.org/ns/"><A:href xmlns:A="DAV:">mailto:gert@example.org</A:href><C:invite-accepted/><C:hosturl><A:href xmlns:A="DAV:">${hostUrl}</A:href></C:hosturl><C:in-reply-to>${uid}</C:in-reply-to></C:invite-reply>`;

/**
 * Sharing over two edges, two calendar replicas, NATS and PostgreSQL: each step is answered on
 * one edge and the next asked at once on the other, whose listings of the users involved are
 * warm. Every edge hears the folder event of each share change, so none answers from a listing
 * older than the change (docs/caching.md: a stale listing could only refuse, never grant).
 */
describeWithInfrastructure('calendarserver-sharing across two edges on NATS + PostgreSQL', () => {
  const prefix = randomSubjectPrefix();
  const nodes: RunningNode[] = [];
  let database: TestDatabase;
  let bus: BusClient;
  let edgeA: string;
  let edgeB: string;
  let olga: User;
  let gert: User;

  const send = async (base: string, user: User, method: string, path: string, headers: Record<string, string> = {}, body?: string) => {
    const response = await fetch(`${base}${path}`, { method, headers: { Authorization: basicAuth(user.login, 'pw'), 'User-Agent': APPLE_CALENDAR_UA, ...headers }, body });
    return { status: response.status, text: await response.text() };
  };
  const homeHrefs = async (base: string, user: User) =>
    [...(await send(base, user, 'PROPFIND', '/dav/caldav/', { Depth: '1' }, '<propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>')).text.matchAll(/<d:href>([^<]+)<\/d:href>/g)].map((m) => m[1]);

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { NATS_URL: TEST_NATS_URL, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, PORT: '0' };
    const start = async (role: string) => {
      const node = await startNode(loadSettings(env, role), createLogger({ level: 'silent' }));
      nodes.push(node);
      return node;
    };
    for (const role of ['config', 'calendar', 'calendar']) await start(role);
    edgeA = (await start('edge')).url!;
    edgeB = (await start('edge')).url!;
    bus = await createBusClient({ kind: 'nats', servers: TEST_NATS_URL, prefix }, 'test');
    await bus.call(ContextsAdd, { contextId: 1 });
    olga = await bus.call(UsersAdd, { login: 'olga', password: 'pw', contextId: 1, displayName: 'Olga', email: 'olga@example.org' });
    gert = await bus.call(UsersAdd, { login: 'gert', password: 'pw', contextId: 1, displayName: 'Gert', email: 'gert@example.org' });
  }, 120_000);

  afterAll(async () => {
    await bus?.close();
    for (const node of nodes.reverse()) await node.close();
    await database?.drop();
  });

  it('invites on A, accepts on B, and each next step on the other edge sees it at once', async () => {
    expect((await send(edgeA, olga, 'MKCALENDAR', '/dav/caldav/team/')).status).toBe(201);
    expect((await send(edgeA, olga, 'PUT', '/dav/caldav/team/a.ics', ICS, eventIcs('team-a', 'team a'))).status).toBe(201);
    // Both edges know gert's calendars before anything is shared with him.
    for (const edge of [edgeA, edgeB]) await homeHrefs(edge, gert);

    expect((await send(edgeA, olga, 'POST', '/dav/caldav/team/', XML, share('mailto:gert@example.org', 'read-write'))).status).toBe(200);
    const listing = await send(edgeB, gert, 'PROPFIND', '/dav/caldav/notifications/', { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>');
    const name = /notifications\/([0-9a-f-]{36})\.xml/.exec(listing.text)![1];
    const invitation = (await send(edgeB, gert, 'GET', `/dav/caldav/notifications/${name}.xml`)).text;
    const hostUrl = /<cs:hosturl><d:href>([^<]+)<\/d:href>/.exec(invitation)![1];
    expect((await send(edgeA, gert, 'GET', `${hostUrl}a.ics`)).status).toBe(404);

    expect((await send(edgeB, gert, 'POST', '/dav/caldav/', XML, accept(name, hostUrl))).status).toBe(200);
    expect((await send(edgeA, gert, 'GET', `${hostUrl}a.ics`)).status).toBe(200);
    expect(await homeHrefs(edgeA, gert)).toContain(hostUrl);
    expect((await send(edgeB, olga, 'PROPFIND', '/dav/caldav/team/', { Depth: '0' }, `<propfind xmlns="DAV:" ${CS}><prop><CS:invite/></prop></propfind>`)).text).toContain('<cs:invite-accepted/>');

    expect((await send(edgeB, olga, 'POST', '/dav/caldav/team/', XML, share('mailto:gert@example.org', 'read'))).status).toBe(200);
    expect((await send(edgeA, gert, 'PUT', `${hostUrl}g.ics`, ICS, eventIcs('team-g', 'team g'))).status).toBe(403);

    expect((await send(edgeA, olga, 'POST', '/dav/caldav/team/', XML, unshare('mailto:gert@example.org'))).status).toBe(200);
    expect((await send(edgeB, gert, 'GET', `${hostUrl}a.ics`)).status).toBe(404);
    expect(await homeHrefs(edgeB, gert)).not.toContain(hostUrl);
  });
});
