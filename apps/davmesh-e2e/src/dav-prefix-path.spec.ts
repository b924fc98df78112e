import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { basicAuth, hrefsOf, parseMultistatus, PRINCIPAL_PROPFIND } from '@davmesh/testing';
import { migratedDataDir } from './embedded-data-dir.fixture';

describe('com.openexchange.dav.prefixPath and proxyPrefixPath (embedded)', () => {
  let root: string;
  let configDir: string;
  let node: RunningNode;
  const demo = basicAuth('demo', 'demo');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'davmesh-prefix-'));
    configDir = join(root, 'config');
    mkdirSync(configDir);
    writeFileSync(join(configDir, 'dav.properties'), 'com.openexchange.dav.prefixPath=/groupware/dav\ncom.openexchange.dav.proxyPrefixPath=/servlet/dav\n');
    const env = { DAVMESH_DATA: await migratedDataDir(join(root, 'data')), DAVMESH_CONFIG_DIR: configDir, DAVMESH_CONFIG_POLL_MS: '100', PORT: '0' };
    node = await startNode(loadSettings(env, 'all'), createLogger({ level: 'silent' }), { seedDemo: true });
  });

  afterAll(async () => {
    await node.close();
    rmSync(root, { recursive: true, force: true });
  });

  const homes = async (path: string) => {
    const response = await request(node.url!).propfind(path).set('Authorization', demo).set('Depth', '0').send(PRINCIPAL_PROPFIND);
    expect(response.status).toBe(207);
    const [resource] = await parseMultistatus(response.text);
    return {
      href: resource.href,
      principal: hrefsOf(resource.found.get('{DAV:}current-user-principal'))[0],
      calendarHome: hrefsOf(resource.found.get('{urn:ietf:params:xml:ns:caldav}calendar-home-set'))[0],
    };
  };

  it('serves and writes hrefs under the configured prefix', async () => {
    expect(await homes('/groupware/dav/')).toEqual({
      href: '/groupware/dav/',
      principal: expect.stringMatching(/^\/groupware\/dav\/principals\/users\/\d+\/$/),
      calendarHome: '/groupware/dav/caldav/',
    });
    expect((await request(node.url!).propfind('/dav/').set('Authorization', demo).send('')).status).toBe(404);
    const wellKnown = await request(node.url!).get('/.well-known/caldav');
    expect(wellKnown.headers['location']).toBe('/groupware/dav/');
  });

  it('answers requests under the proxy prefix with hrefs under the public prefix', async () => {
    const viaProxy = await homes('/servlet/dav/');
    expect(viaProxy.href).toBe('/groupware/dav/');
    expect(viaProxy.calendarHome).toBe('/groupware/dav/caldav/');
  });

  it('follows a changed prefix without a restart', async () => {
    writeFileSync(join(configDir, 'dav.properties'), 'com.openexchange.dav.prefixPath=/dav\n');
    const deadline = Date.now() + 5000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await request(node.url!).propfind('/dav/').set('Authorization', demo).set('Depth', '0').send('')).status;
      if (status === 207) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(207);
    expect((await homes('/dav/')).calendarHome).toBe('/dav/caldav/');
  });
});
