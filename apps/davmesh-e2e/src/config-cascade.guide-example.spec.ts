import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ContextsAdd, UsersAdd } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { basicAuth, parseMultistatus, PRINCIPAL_PROPFIND } from '@davmesh/testing';
import { runCli } from '@davmesh/cli';
import { migratedDataDir } from './embedded-data-dir.fixture';

const CALENDAR_HOME = '{urn:ietf:params:xml:ns:caldav}calendar-home-set';

describe("the admin guide's example, end to end through the edge (embedded)", () => {
  let root: string;
  let configDir: string;
  let dataDir: string;
  let node: RunningNode;

  const homeSetShown = async (login: string) => {
    const response = await request(node.url!)
      .propfind('/dav/')
      .set('Authorization', basicAuth(login, 'pw'))
      .set('Depth', '0')
      .send(PRINCIPAL_PROPFIND);
    expect(response.status).toBe(207);
    const [principal] = await parseMultistatus(response.text);
    return principal.found.has(CALENDAR_HOME);
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'davmesh-guide-'));
    configDir = join(root, 'config');
    dataDir = await migratedDataDir(join(root, 'data'));
    mkdirSync(join(configDir, 'contextSets'), { recursive: true });
    writeFileSync(join(configDir, 'caldav.properties'), 'com.openexchange.caldav.enabled=false\n');
    writeFileSync(
      join(configDir, 'contextSets', 'caldav.yml'),
      'premium:\n    com.openexchange.caldav.enabled: true\n    withTags: ucInfostore\n',
    );
    const env = { DAVMESH_DATA: dataDir, DAVMESH_CONFIG_DIR: configDir, DAVMESH_CONFIG_POLL_MS: '100', PORT: '0' };
    node = await startNode(loadSettings(env, 'all'), createLogger({ level: 'silent' }), { controlSocket: true });
    await node.bus.call(ContextsAdd, { contextId: 1, tags: ['ucInfostore'] });
    await node.bus.call(ContextsAdd, { contextId: 2 });
    await node.bus.call(UsersAdd, { login: 'infostore', password: 'pw', contextId: 1 });
    await node.bus.call(UsersAdd, { login: 'basic', password: 'pw', contextId: 2 });
  });

  afterAll(async () => {
    await node.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('offers CalDAV to the tagged context only', async () => {
    expect(await homeSetShown('infostore')).toBe(true);
    expect(await homeSetShown('basic')).toBe(false);
  });

  it('follows a user-level override set by the CLI at once, and explains it', async () => {
    const env = { DAVMESH_DATA: dataDir, DAVMESH_CONFIG_DIR: configDir };
    const quiet = () => undefined;
    expect(await runCli(['config', 'set', 'com.openexchange.caldav.enabled', 'true', '--user', 'basic'], env, quiet)).toBe(0);
    expect(await homeSetShown('basic')).toBe(true);

    const lines: string[] = [];
    expect(await runCli(['config', 'explain', 'com.openexchange.caldav.enabled', '--user', 'basic'], env, (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toMatch(/^default\s+true\s+built-in default/);
    expect(lines[1]).toMatch(/^server\s+false\s+caldav\.properties:1/);
    expect(lines.join('\n')).toContain('user wins');
    expect(lines.join('\n')).toMatch(/context set "premium" .* does not match: withTags "ucInfostore", context 2 has tags none/);

    expect(await runCli(['config', 'set', 'com.openexchange.caldav.enabled', 'perhaps', '--user', 'basic'], env, quiet)).toBe(1);
    expect(await homeSetShown('basic')).toBe(true);

    expect(await runCli(['config', 'unset', 'com.openexchange.caldav.enabled', '--user', 'basic'], env, quiet)).toBe(0);
    expect(await homeSetShown('basic')).toBe(false);
  });

  it('follows an edited file without a restart, and a typo never switches CalDAV off', async () => {
    writeFileSync(join(configDir, 'contextSets', 'caldav.yml'), 'premium:\n    com.openexchange.caldav.enabled: true\n    withTags: ucInfostore | basicTag\n');
    writeFileSync(join(configDir, 'caldav.properties'), 'com.openexchange.caldav.enabled=flase\n');
    const env = { DAVMESH_DATA: dataDir };
    const refused: string[] = [];
    expect(await runCli(['config', 'reload'], env, (l) => refused.push(l))).toBe(1);
    expect(refused[0]).toMatch(/\trefused: the last good files stay in force\t/);
    expect(refused[1]).toMatch(/^ {2}caldav\.properties:1: com\.openexchange\.caldav\.enabled /);
    expect(await homeSetShown('infostore')).toBe(true);
    expect(await homeSetShown('basic')).toBe(false);

    writeFileSync(join(configDir, 'caldav.properties'), 'com.openexchange.caldav.enabled=true\n');
    const applied: string[] = [];
    expect(await runCli(['config', 'reload'], env, (l) => applied.push(l))).toBe(0);
    expect(applied).toEqual([expect.stringMatching(/\tin force\t/)]);
    expect(await homeSetShown('basic')).toBe(true);
  });

  it('checks a directory before it is deployed', async () => {
    const lines: string[] = [];
    expect(await runCli(['config', 'check', configDir], {}, (l) => lines.push(l))).toBe(0);
    expect(lines.pop()).toContain('all valid');
    writeFileSync(join(configDir, 'carddav.properties'), 'com.openexchange.carddav.exposedCollections=3\n');
    const problems: string[] = [];
    expect(await runCli(['config', 'check', configDir], {}, (l) => problems.push(l))).toBe(1);
    expect(problems[0]).toBe('carddav.properties:1: com.openexchange.carddav.exposedCollections must be one of 0, 1, 2, not "3"');
    rmSync(join(configDir, 'carddav.properties'));
  });
});
