import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBusClient, type BusClient } from '@davmesh/bus';
import { ConfigSet, ContextsAdd, UsersAdd, UsersSetPassword, type User } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import {
  basicAuth,
  createTestDatabase,
  DAVX5_UA,
  describeWithInfrastructure,
  eventIcs,
  randomSubjectPrefix,
  TEST_NATS_URL,
  vcard,
  type TestDatabase,
} from '@davmesh/testing';

/**
 * The lanes run until this many checks are counted or the time is up (a loaded machine counts
 * fewer); the config and password lanes run beside the write-here-read-there lanes.
 */
const TARGET_CHECKS = 4000;
const RUN_MS = 55_000;
const MIN_CHECKS = 100;
const LANES = 3;

interface Answer {
  status: number;
  etag: string | null;
  text: string;
}

/** One HTTP request as one user, over keep-alive connections (fetch). */
async function send(base: string, login: string, password: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: basicAuth(login, password), 'User-Agent': DAVX5_UA, ...headers },
    body,
  });
  return { status: response.status, etag: response.headers.get('etag'), text: await response.text() };
}

/** Counted checks by kind; a stale answer is recorded with what was expected and what came. */
class Tally {
  readonly checks: Record<string, number> = {};
  readonly stale: { kind: string; detail: string }[] = [];

  check(kind: string, fresh: boolean, detail: () => string): void {
    this.checks[kind] = (this.checks[kind] ?? 0) + 1;
    if (!fresh) this.stale.push({ kind, detail: detail() });
  }

  get total(): number {
    return Object.values(this.checks).reduce((a, b) => a + b, 0);
  }
}

const PROPFIND_ETAGS = '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>';
const PROPFIND_NAME = '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>';
const proppatchName = (name: string) =>
  `<propertyupdate xmlns="DAV:"><set><prop><displayname>${name}</displayname></prop></set></propertyupdate>`;
const syncCollection = (token: string) =>
  `<sync-collection xmlns="DAV:"><sync-token>${token}</sync-token><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>`;
const multiget = (href: string) =>
  `<C:addressbook-multiget xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><prop><getetag/><C:address-data/></prop><href>${href}</href></C:addressbook-multiget>`;
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xmlEtag = (etag: string) => `<d:getetag>${escapeXml(etag)}</d:getetag>`;
const syncToken = (text: string) => /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(text)?.[1] ?? '';

describeWithInfrastructure('write on edge A, read at once on edge B: no stale answer, counted', () => {
  const prefix = randomSubjectPrefix();
  const nodes: RunningNode[] = [];
  let database: TestDatabase;
  let bus: BusClient;
  let configDir: string;
  let edgeA: string;
  let edgeB: string;

  beforeAll(async () => {
    configDir = mkdtempSync(join(tmpdir(), 'davmesh-stale-'));
    // Old passwords are tried on purpose, thousands of times, from one address.
    writeFileSync(join(configDir, 'auth.properties'), 'davmesh.auth.failedLogins.perLogin=1000000\ndavmesh.auth.failedLogins.perAddress=1000000\n');
    database = await createTestDatabase();
    const env = { NATS_URL: TEST_NATS_URL, DATABASE_URL: database.url, DAVMESH_SUBJECT_PREFIX: prefix, PORT: '0', DAVMESH_CONFIG_DIR: configDir };
    const start = async (role: string) => {
      const node = await startNode(loadSettings(env, role), createLogger({ level: 'silent' }));
      nodes.push(node);
      return node;
    };
    for (const role of ['config', 'calendar', 'calendar', 'contacts', 'contacts']) await start(role);
    edgeA = (await start('edge')).url!;
    edgeB = (await start('edge')).url!;
    bus = await createBusClient({ kind: 'nats', servers: TEST_NATS_URL, prefix }, 'test');
    await bus.call(ContextsAdd, { contextId: 1 });
  }, 120_000);

  afterAll(async () => {
    await bus?.close();
    for (const node of nodes.reverse()) await node.close();
    await database?.drop();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('over PUT/GET, PROPFIND, sync-collection, DELETE, MKCALENDAR, re-created calendars, PROPPATCH, CardDAV multiget, config and password changes', async () => {
    const tally = new Tally();
    const started = Date.now();
    const deadline = started + RUN_MS;
    const going = () => Date.now() < deadline && tally.total < TARGET_CHECKS;
    const lanes = Array.from({ length: LANES }, (_, lane) => davLane(lane, tally, going));
    await Promise.all([...lanes, configLane(tally, going), passwordLane(tally, going)]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`cross-edge stale-read checks: ${tally.total} in ${seconds} s (${JSON.stringify(tally.checks)}), stale: ${tally.stale.length}\n`);
    expect(tally.stale.slice(0, 10)).toEqual([]);
    expect(tally.total).toBeGreaterThanOrEqual(MIN_CHECKS);
    const kinds = ['put-get', 'propfind', 'sync-collection', 'delete', 'mkcalendar', 'recreated-calendar', 'proppatch', 'carddav-multiget', 'config', 'password'];
    expect(kinds.filter((kind) => !tally.checks[kind])).toEqual([]);
  }, RUN_MS + 60_000);

  async function addUser(login: string, password: string): Promise<User> {
    return bus.call(UsersAdd, { login, password, contextId: 1 });
  }

  /** CalDAV and CardDAV writes on A, each read back on B at once. */
  async function davLane(lane: number, tally: Tally, going: () => boolean): Promise<void> {
    const login = `lane${lane}`;
    const password = `pw-${lane}`;
    await addUser(login, password);
    const onA = (method: string, path: string, headers?: Record<string, string>, body?: string) => send(edgeA, login, password, method, path, headers, body);
    const onB = (method: string, path: string, headers?: Record<string, string>, body?: string) => send(edgeB, login, password, method, path, headers, body);
    const calendar = '/dav/caldav/lane/';
    expect((await onA('MKCALENDAR', calendar)).status).toBe(201);
    const books = await onA('PROPFIND', '/dav/carddav/', { Depth: '1' }, PROPFIND_ETAGS);
    const book = [...books.text.matchAll(/<d:href>(\/dav\/carddav\/(\d+)\/)<\/d:href>/g)].find((m) => m[2] !== '6')![1];
    let token = syncToken((await onB('REPORT', calendar, { Depth: '1' }, syncCollection(''))).text);

    for (let round = 0; going(); round++) {
      // PUT on A, GET on B: the new body and ETag.
      const href = `${calendar}r${round % 4}.ics`;
      const summary = `lane ${lane} round ${round}`;
      const put = await onA('PUT', href, { 'Content-Type': 'text/calendar' }, eventIcs(`u-${lane}-${round % 4}`, summary));
      expect([201, 204]).toContain(put.status);
      const got = await onB('GET', href);
      tally.check('put-get', got.status === 200 && got.etag === put.etag && got.text.includes(summary), () => `GET ${href}: ${got.status} ${got.etag}, wanted ${put.etag}`);

      // PROPFIND Depth 1 on B lists it with the new ETag.
      const listing = await onB('PROPFIND', calendar, { Depth: '1' }, PROPFIND_ETAGS);
      tally.check('propfind', listing.status === 207 && listing.text.includes(xmlEtag(put.etag!)), () => `PROPFIND ${calendar} lacks ${put.etag}`);

      // sync-collection on B from the last token reports it.
      const sync = await onB('REPORT', calendar, { Depth: '1' }, syncCollection(token));
      tally.check('sync-collection', sync.status === 207 && sync.text.includes(xmlEtag(put.etag!)), () => `sync from ${token} lacks ${put.etag}`);
      token = syncToken(sync.text) || token;

      // DELETE on A, GET on B: gone.
      if (round % 2 === 1) {
        expect((await onA('DELETE', href)).status).toBe(204);
        const gone = await onB('GET', href);
        tally.check('delete', gone.status === 404, () => `GET ${href} after DELETE: ${gone.status}`);
      }

      // PROPPATCH on A, PROPFIND on B: the new name.
      const name = `lane ${lane} name ${round}`;
      expect((await onA('PROPPATCH', calendar, { 'Content-Type': 'application/xml' }, proppatchName(name))).status).toBe(207);
      const named = await onB('PROPFIND', calendar, { Depth: '0' }, PROPFIND_NAME);
      tally.check('proppatch', named.text.includes(`<d:displayname>${name}</d:displayname>`), () => `displayname is not "${name}"`);

      // CardDAV PUT on A, addressbook-multiget on B: the new ETag and card.
      const card = `${book}c${lane}-${round % 3}.vcf`;
      const fn = `Card ${lane} ${round}`;
      const cardPut = await onA('PUT', card, { 'Content-Type': 'text/vcard' }, vcard(`c-${lane}-${round % 3}`, fn));
      expect([201, 204]).toContain(cardPut.status);
      const cards = await onB('REPORT', book, { Depth: '1', 'Content-Type': 'application/xml' }, multiget(card));
      tally.check('carddav-multiget', cards.text.includes(xmlEtag(cardPut.etag!)) && cards.text.includes(`FN:${fn}`), () => `multiget ${card} lacks ${cardPut.etag}`);

      if (round % 5 === 0) {
        // MKCALENDAR on A, PUT into it on B.
        const fresh = `/dav/caldav/new-${round}/`;
        expect((await onA('MKCALENDAR', fresh)).status).toBe(201);
        const into = await onB('PUT', `${fresh}a.ics`, { 'Content-Type': 'text/calendar' }, eventIcs(`n-${lane}-${round}`, 'new'));
        tally.check('mkcalendar', into.status === 201, () => `PUT into ${fresh} on B: ${into.status}`);
        expect((await onA('DELETE', fresh)).status).toBe(204);

        // A calendar B has just used, deleted and made again under its name on A: B writes into the new one.
        const again = '/dav/caldav/again/';
        if (round === 0) expect((await onA('MKCALENDAR', again)).status).toBe(201);
        expect([201, 204]).toContain((await onB('PUT', `${again}old.ics`, { 'Content-Type': 'text/calendar' }, eventIcs(`o-${lane}-${round}`, 'old'))).status);
        expect((await onA('DELETE', again)).status).toBe(204);
        expect((await onA('MKCALENDAR', again)).status).toBe(201);
        const written = await onB('PUT', `${again}x.ics`, { 'Content-Type': 'text/calendar' }, eventIcs(`x-${lane}-${round}`, 'x'));
        const contents = await onB('PROPFIND', again, { Depth: '1' }, PROPFIND_ETAGS);
        tally.check(
          'recreated-calendar',
          written.status === 201 && contents.text.includes(`${again}x.ics`) && !contents.text.includes(`${again}old.ics`),
          () => `re-created ${again}: PUT ${written.status}, listing ${contents.text.slice(0, 200)}`,
        );
      }
    }
  }

  /** CalDAV switched off and on for a user, each switch checked on B while B is busy with that user. */
  async function configLane(tally: Tally, going: () => boolean): Promise<void> {
    const user = await addUser('switched', 'switched-pw');
    const home = (base: string) => send(base, 'switched', 'switched-pw', 'PROPFIND', '/dav/caldav/', { Depth: '0' }, '');
    let busy = true;
    const keepBusy = (async () => {
      while (busy) await home(edgeB);
    })();
    try {
      for (let i = 0; going(); i++) {
        const enabled = i % 2 === 1;
        await bus.call(ConfigSet, { key: 'com.openexchange.caldav.enabled', value: enabled, userId: user.userId });
        const onB = await home(edgeB);
        tally.check('config', onB.status === (enabled ? 207 : 403), () => `CalDAV ${enabled ? 'enabled' : 'disabled'}: B answered ${onB.status}`);
        const onA = await home(edgeA);
        tally.check('config', onA.status === (enabled ? 207 : 403), () => `CalDAV ${enabled ? 'enabled' : 'disabled'}: A answered ${onA.status}`);
      }
    } finally {
      busy = false;
      await keepBusy;
    }
  }

  /** A password changed again and again, each change checked on B while B is busy with that user. */
  async function passwordLane(tally: Tally, going: () => boolean): Promise<void> {
    let password = 'pw-0';
    await addUser('rotating', password);
    const home = (base: string, pw: string) => send(base, 'rotating', pw, 'PROPFIND', '/dav/caldav/', { Depth: '0' }, '');
    let busy = true;
    const keepBusy = (async () => {
      while (busy) await home(edgeB, password);
    })();
    try {
      for (let i = 1; going(); i++) {
        const old = password;
        const next = `pw-${i}`;
        await bus.call(UsersSetPassword, { login: 'rotating', password: next });
        password = next;
        const withOld = await home(edgeB, old);
        tally.check('password', withOld.status === 401, () => `old password on B after the change: ${withOld.status}`);
        const withNew = await home(edgeB, next);
        tally.check('password', withNew.status === 207, () => `new password on B after the change: ${withNew.status}`);
      }
    } finally {
      busy = false;
      await keepBusy;
    }
  }
});
