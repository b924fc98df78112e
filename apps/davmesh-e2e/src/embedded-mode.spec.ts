import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { basicAuth, hrefsOf, parseMultistatus, PRINCIPAL_PROPFIND } from '@davmesh/testing';
import { runCli } from '@davmesh/cli';

const silent = createLogger({ level: 'silent' });
const quiet = () => undefined;

function embeddedSettings(dataDir: string) {
  return loadSettings({ DAVMESH_DATA: dataDir, PORT: '0' }, 'all');
}

async function startEmbedded(dataDir: string): Promise<RunningNode> {
  return startNode(embeddedSettings(dataDir), silent, { seedDemo: true, controlSocket: true });
}

async function principalPropfind(url: string, login: string, password: string, path = '/dav/') {
  return request(url)
    .propfind(path)
    .set('Authorization', basicAuth(login, password))
    .set('Depth', '0')
    .set('Content-Type', 'application/xml')
    .send(PRINCIPAL_PROPFIND);
}

describe("embedded mode: what npm start runs", () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'davmesh-embedded-'));
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('boots with demo/demo, answers the principal, and keeps users across a restart', async () => {
    const first = await startEmbedded(dataDir);
    let userId: string;
    try {
      expect(first.seededDemo).toBe(true);
      const response = await principalPropfind(first.url!, 'demo', 'demo');
      expect(response.status).toBe(207);
      const [root] = await parseMultistatus(response.text);
      const [principal] = hrefsOf(root.found.get('{DAV:}current-user-principal'));
      expect(principal).toMatch(/^\/dav\/principals\/users\/\d+\/$/);
      userId = principal.split('/')[4];
      expect(hrefsOf(root.found.get('{urn:ietf:params:xml:ns:caldav}calendar-home-set'))).toEqual(['/dav/caldav/']);
      expect(hrefsOf(root.found.get('{urn:ietf:params:xml:ns:carddav}addressbook-home-set'))).toEqual(['/dav/carddav/']);
      expect(root.found.get('{DAV:}displayname')?.text).toBe('Demo User');
      expect(root.missing.get('{urn:ietf:params:xml:ns:caldav}schedule-inbox-URL')).toBe(404);

      const onPrincipal = await principalPropfind(first.url!, 'demo', 'demo', principal);
      const [described] = await parseMultistatus(onPrincipal.text);
      expect(described.href).toBe(principal);
      expect(described.found.get('{DAV:}resourcetype')?.children.map((c) => c.name.local)).toEqual(['collection', 'principal']);
    } finally {
      await first.close();
    }

    const second = await startEmbedded(dataDir);
    try {
      expect(second.seededDemo).toBe(false);
      const response = await principalPropfind(second.url!, 'demo', 'demo');
      expect(response.status).toBe(207);
      const [root] = await parseMultistatus(response.text);
      expect(hrefsOf(root.found.get('{DAV:}current-user-principal'))).toEqual([`/dav/principals/users/${userId}/`]);
    } finally {
      await second.close();
    }
  }, 120_000);

  it('refuses a second server on the same data directory', async () => {
    const node = await startEmbedded(dataDir);
    try {
      await expect(startEmbedded(dataDir)).rejects.toThrow(/in use by process/);
    } finally {
      await node.close();
    }
  }, 120_000);

  it('lets the CLI add a user while the server runs, who can log in at once', async () => {
    const node = await startEmbedded(dataDir);
    try {
      const env = { DAVMESH_DATA: dataDir };
      expect(await runCli(['user', 'add', 'erin', '--password', 'erin-pw', '--email', 'erin@example.org'], env, quiet)).toBe(0);
      const response = await principalPropfind(node.url!, 'erin', 'erin-pw');
      expect(response.status).toBe(207);
      const [root] = await parseMultistatus(response.text);
      expect(hrefsOf(root.found.get('{urn:ietf:params:xml:ns:caldav}calendar-user-address-set'))[0]).toBe('mailto:erin@example.org');

      const listed: string[] = [];
      expect(await runCli(['user', 'list'], env, (line) => listed.push(line))).toBe(0);
      expect(listed.some((line) => line.includes('erin') && line.includes('enabled'))).toBe(true);

      expect(await runCli(['user', 'disable', 'erin'], env, quiet)).toBe(0);
      expect((await principalPropfind(node.url!, 'erin', 'erin-pw')).status).toBe(401);
    } finally {
      await node.close();
    }
  }, 120_000);

  it('lets the CLI work on a stopped data directory', async () => {
    const env = { DAVMESH_DATA: dataDir };
    expect(await runCli(['context', 'add', '7', '--name', 'seven', '--tags', 'ucInfostore'], env, quiet)).toBe(0);
    expect(await runCli(['user', 'add', 'fred', '--password', 'fred-pw', '--context', '7'], env, quiet)).toBe(0);
    expect(await runCli(['user', 'add', 'fred', '--password', 'again', '--context', '7'], env)).toBe(1);
    expect(await runCli(['user', 'passwd', 'fred', '--password', 'fred-new'], env, quiet)).toBe(0);
    const node = await startEmbedded(dataDir);
    try {
      expect((await principalPropfind(node.url!, 'fred', 'fred-pw')).status).toBe(401);
      expect((await principalPropfind(node.url!, 'fred', 'fred-new')).status).toBe(207);
    } finally {
      await node.close();
    }
  }, 120_000);
});
