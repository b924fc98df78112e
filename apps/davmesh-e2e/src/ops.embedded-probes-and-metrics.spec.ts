import { rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import request from 'supertest';
import { UsersSetPassword } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { basicAuth, parseMultistatus, parsePrometheusText, sampleSum, type PrometheusSample } from '@davmesh/testing';
import { migratedDataDir } from './embedded-data-dir.fixture';

const silent = createLogger({ level: 'silent' });

function get(url: string, agent?: Agent): Promise<{ status: number; body: string; type?: string }> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { agent }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, type: response.headers['content-type'] }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

async function scrape(node: RunningNode): Promise<PrometheusSample[]> {
  const answer = await get(`${node.opsUrl}/metrics`);
  expect(answer.status).toBe(200);
  expect(answer.type).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(answer.body);
}

const propfind = (node: RunningNode, path: string, password = 'demo') =>
  request(node.url!).propfind(path).set('Authorization', basicAuth('demo', password)).set('Depth', '0').send('');

describe('embedded mode: the ops listener (healthz, readyz, metrics) of each node in one process', () => {
  const nodes: RunningNode[] = [];
  const dataDirs: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const dataDir = await migratedDataDir();
      dataDirs.push(dataDir);
      nodes.push(await startNode(loadSettings({ DAVMESH_DATA: dataDir, PORT: '0', DAVMESH_OPS_PORT: '0' }, 'all'), silent, { seedDemo: true }));
    }
  }, 120_000);

  afterAll(async () => {
    for (const node of nodes) await node.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('listens on a port of its own per node, apart from the DAV port, and answers liveness', async () => {
    const [a, b] = nodes;
    expect(a.opsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set([a.opsUrl, b.opsUrl, a.url, b.url]).size).toBe(4);
    expect(await get(`${a.opsUrl}/healthz`)).toMatchObject({ status: 200, body: 'ok\n' });
    expect((await get(`${a.opsUrl}/dav/`)).status).toBe(404);
  });

  it('is ready once every role is up: databases answer, schemas are current, the configuration is loaded', async () => {
    const ready = await get(`${nodes[0].opsUrl}/readyz`);
    expect(ready.status).toBe(200);
    const lines = ready.body.trim().split('\n');
    expect(lines[0]).toBe('ready');
    expect(lines).toEqual(
      expect.arrayContaining([
        'start: ok',
        'database:config: ok',
        'database:calendar: ok',
        'database:contacts: ok',
        'schema:config: ok',
        'schema:calendar: ok',
        'schema:contacts: ok',
        'configuration: ok',
      ]),
    );
  });

  it('counts DAV requests by method, resource kind and status, with their latency, in its own registry only', async () => {
    const [a, b] = nodes;
    const before = await scrape(a);
    expect((await propfind(a, '/dav/')).status).toBe(207);
    expect((await propfind(a, '/dav/')).status).toBe(207);
    expect((await propfind(a, '/dav/caldav/')).status).toBe(207);
    expect((await propfind(a, '/dav/', 'wrong')).status).toBe(401);
    const after = await scrape(a);
    const moved = (name: string, labels: Record<string, string>) => sampleSum(after, name, labels) - sampleSum(before, name, labels);
    expect(moved('davmesh_http_requests_total', { method: 'PROPFIND', kind: 'root', status: '207' })).toBe(2);
    expect(moved('davmesh_http_requests_total', { method: 'PROPFIND', kind: 'calendar-home', status: '207' })).toBe(1);
    expect(moved('davmesh_http_requests_total', { method: 'PROPFIND', kind: 'root', status: '401' })).toBe(1);
    expect(moved('davmesh_http_request_duration_seconds_count', { method: 'PROPFIND', kind: 'root' })).toBe(3);
    expect(moved('davmesh_http_request_duration_seconds_bucket', { method: 'PROPFIND', kind: 'root', le: '+Inf' })).toBe(3);
    expect(sampleSum(after, 'davmesh_http_request_duration_seconds_sum', { method: 'PROPFIND', kind: 'root' })).toBeGreaterThan(0);
    // The wrong password went to the directory; the right one was answered by the login cache at least once.
    expect(moved('davmesh_bus_client_requests_total', { subject: 'config.v1.directory.authenticate', outcome: 'unauthenticated' })).toBe(1);
    expect(moved('davmesh_bus_server_requests_total', { subject: 'config.v1.directory.authenticate', outcome: 'unauthenticated' })).toBe(1);
    expect(moved('davmesh_cache_hits_total', { service: 'edge', cache: 'logins' })).toBeGreaterThanOrEqual(1);
    expect(sampleSum(after, 'davmesh_bus_server_request_duration_seconds_count', { subject: 'config.v1.directory.authenticate' })).toBeGreaterThanOrEqual(1);

    const other = await scrape(b);
    expect(sampleSum(other, 'davmesh_http_requests_total', { method: 'PROPFIND' })).toBe(0);
    expect(sampleSum(other, 'davmesh_bus_client_requests_total', { subject: 'config.v1.directory.authenticate' })).toBe(0);
  });

  it('counts the logins a password change invalidates', async () => {
    const node = nodes[0];
    expect((await propfind(node, '/dav/')).status).toBe(207);
    const before = sampleSum(await scrape(node), 'davmesh_cache_invalidations_total', { service: 'edge', cache: 'logins' });
    await node.bus.call(UsersSetPassword, { login: 'demo', password: 'changed' });
    expect((await propfind(node, '/dav/', 'changed')).status).toBe(207);
    const after = await scrape(node);
    expect(sampleSum(after, 'davmesh_cache_invalidations_total', { service: 'edge', cache: 'logins' })).toBe(before + 1);
    await node.bus.call(UsersSetPassword, { login: 'demo', password: 'demo' });
  });

  it('answers a repeated PROPFIND Depth 1 of a calendar and an address book from its rendered members, another from its member listings, and lists afresh after a write', async () => {
    const node = nodes[0];
    const as = (method: string, path: string) => request(node.url!)[method as 'put'](path).set('Authorization', basicAuth('demo', 'demo'));
    const listing = async (path: string, prop = 'getetag') => (await as('propfind', path).set('Depth', '1').send(`<propfind xmlns="DAV:"><prop><${prop}/></prop></propfind>`)).text;
    const home = await as('propfind', '/dav/carddav/').set('Depth', '1').send('<propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>');
    const book = /<d:href>(\/dav\/carddav\/\d{4,}\/)<\/d:href>/.exec(home.text)![1];
    const calendars = await parseMultistatus((await as('propfind', '/dav/caldav/').set('Depth', '1').send('<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>')).text);
    const calendar = calendars.find((c) => c.found.get('{DAV:}displayname')?.text === 'Calendar')!.href;
    const collections = [
      { path: calendar, cache: 'calendar_member_listings', member: 'cached.ics', type: 'text/calendar', body: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:cached\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:' + new Date(Date.now() + 86_400_000).toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z\r\nDURATION:PT1H\r\nSUMMARY:c\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' },
      { path: book, cache: 'addressbook_member_listings', member: 'cached.vcf', type: 'text/vcard', body: 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:cached\r\nFN:Cached\r\nN:Cached;;;;\r\nEND:VCARD\r\n' },
    ];
    for (const { path, cache, member, type, body } of collections) {
      const hits = async (name: string) => sampleSum(await scrape(node), 'davmesh_cache_hits_total', { service: 'edge', cache: name });
      await listing(path);
      const [listed, rendered] = [await hits(cache), await hits('rendered_member_listings')];
      const first = await listing(path);
      expect(await hits('rendered_member_listings')).toBe(rendered + 1);
      expect(first).not.toContain(member);
      const lengths = await listing(path, 'getcontentlength');
      expect(await hits(cache)).toBe(listed + 1);
      expect(lengths).toContain('getcontentlength');
      // An initial sync asking what the first PROPFIND asked renders its members alike, from the same entry.
      const initialSync = await as('report', path).set('Depth', '1').send('<sync-collection xmlns="DAV:"><sync-token/><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>');
      expect(initialSync.status).toBe(207);
      expect(await hits('rendered_member_listings')).toBe(rendered + 2);
      expect((await as('put', `${path}${member}`).set('Content-Type', type).send(body)).status).toBe(201);
      expect(await listing(path)).toContain(member);
      expect((await as('delete', `${path}${member}`).send()).status).toBe(204);
      expect(await listing(path)).not.toContain(member);
    }
  });

  it('keeps its folder listings while only objects are written, and lists afresh once a folder itself changed', async () => {
    const node = nodes[1];
    const as = (method: string, path: string) => request(node.url!)[method as 'put'](path).set('Authorization', basicAuth('demo', 'demo'));
    const lists = async (subject: string) => sampleSum(await scrape(node), 'davmesh_bus_client_requests_total', { subject });
    const home = await as('propfind', '/dav/carddav/').set('Depth', '1').send('<propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>');
    const book = /<d:href>(\/dav\/carddav\/\d{4,}\/)<\/d:href>/.exec(home.text)![1];
    const calendars = await parseMultistatus((await as('propfind', '/dav/caldav/').set('Depth', '1').send('<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>')).text);
    const calendar = calendars.find((c) => c.found.get('{DAV:}displayname')?.text === 'Calendar')!.href;
    const event = (i: number) =>
      `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:kept-${i}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20270101T100000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    const card = (i: number) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:kept-${i}\r\nFN:Kept ${i}\r\nN:Kept;${i};;;\r\nEND:VCARD\r\n`;
    const collections = [
      { path: calendar, subject: 'calendar.v1.folders.list', member: (i: number) => [`kept-${i}.ics`, 'text/calendar', event(i)] },
      { path: book, subject: 'contacts.v1.folders.list', member: (i: number) => [`kept-${i}.vcf`, 'text/vcard', card(i)] },
    ];
    for (const { path, subject, member } of collections) {
      const write = async (i: number) => {
        const [name, type, body] = member(i);
        expect((await as('put', `${path}${name}`).set('Content-Type', type).send(body)).status).toBe(201);
        expect((await as('delete', `${path}${name}`).send()).status).toBe(204);
      };
      await write(0);
      const before = await lists(subject);
      for (let i = 1; i <= 5; i++) await write(i);
      // Ten writes of objects, each announced before it answered: none of them dropped the listing.
      expect(await lists(subject)).toBe(before);
      const renamed = await as('proppatch', path).send('<propertyupdate xmlns="DAV:"><set><prop><displayname>Renamed</displayname></prop></set></propertyupdate>');
      expect(renamed.status).toBe(207);
      const renamedAt = await lists(subject);
      await write(6);
      expect(await lists(subject)).toBe(renamedAt + 1);
    }
  });

  it("serves Node's process metrics", async () => {
    const samples = await scrape(nodes[1]);
    expect(sampleSum(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sampleSum(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('turns not ready as soon as the node begins to stop, while it drains its DAV connections', async () => {
    const node = nodes[1];
    const probe = new Agent({ keepAlive: true, maxSockets: 1 });
    const davClient = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await get(`${node.opsUrl}/readyz`, probe)).status).toBe(200);
      // A client keeps a connection to the edge: the stop drains it (about a second) before the roles go.
      expect((await get(`${node.url}/healthz`, davClient)).status).toBe(200);
      const closing = node.close();
      expect(await get(`${node.opsUrl}/readyz`, probe)).toEqual(expect.objectContaining({ status: 503, body: 'not ready: stopping\nstopping: FAILING: the process is stopping\n' }));
      expect((await get(`${node.opsUrl}/healthz`, probe)).status).toBe(200);
      await closing;
      await expect(get(`${node.opsUrl}/healthz`, new Agent())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      probe.destroy();
      davClient.destroy();
    }
  }, 60_000);
});
