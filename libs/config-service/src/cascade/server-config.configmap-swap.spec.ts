import { mkdirSync, mkdtempSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigResolve, ContextsAdd, UsersAdd, type User } from '@davmesh/contracts';
import { waitFor } from '@davmesh/testing';
import { startServiceHarness, type ServiceHarness } from '@davmesh/service-testing';
import { ConfigServiceModule } from '../config-service.module';

const ENABLED = 'com.openexchange.caldav.enabled';
const START = 'com.openexchange.caldav.interval.start';

/**
 * A ConfigMap volume as the kubelet lays it out (its AtomicWriter): the files live in a
 * timestamped directory, `..data` links to it, and each visible name links through
 * `..data`. An update writes a new timestamped directory, renames a new link over
 * `..data` (atomic), then deletes the old directory: no file the config role sees is
 * ever written in place.
 */
class ConfigMapVolume {
  private generation = 0;

  constructor(readonly dir: string) {}

  /** The first projection: the visible names are created once and never change. */
  create(files: Record<string, string>): void {
    this.writeGeneration(files);
    symlinkSync(this.current(), join(this.dir, '..data'));
    for (const top of new Set(Object.keys(files).map((path) => path.split('/')[0]))) {
      symlinkSync(join('..data', top), join(this.dir, top));
    }
  }

  /** An update of the ConfigMap: same file names, new contents, swapped in one rename. */
  swap(files: Record<string, string>): void {
    const old = readlinkSync(join(this.dir, '..data'));
    this.writeGeneration(files);
    symlinkSync(this.current(), join(this.dir, '..data_tmp'));
    renameSync(join(this.dir, '..data_tmp'), join(this.dir, '..data'));
    rmSync(join(this.dir, old), { recursive: true, force: true });
  }

  private current(): string {
    return `..2026_12_06_16_00_00.00000000${this.generation}`;
  }

  private writeGeneration(files: Record<string, string>): void {
    this.generation += 1;
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(this.dir, this.current(), path, '..'), { recursive: true });
      writeFileSync(join(this.dir, this.current(), path), text);
    }
  }
}

const files = (enabled: boolean, start: string, premium: boolean) => ({
  'caldav.properties': `${ENABLED}=${enabled}\n${START}=${start}\n`,
  'contextSets/caldav.yml': `premium:\n    ${ENABLED}: ${premium}\n    withTags: ucInfostore\n`,
});

describe('server config from a Kubernetes ConfigMap volume (the ..data symlink swap)', () => {
  let dir: string;
  let volume: ConfigMapVolume;
  let harness: ServiceHarness;
  let premium: User;
  let plain: User;

  const effective = async (user: User, key: string) => (await harness.bus.call(ConfigResolve, { userId: user.userId })).values[key as typeof ENABLED];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'davmesh-configmap-'));
    volume = new ConfigMapVolume(dir);
    volume.create(files(false, 'six_months', true));
    // A poll interval far beyond the test: what is seen, the directory watch saw.
    harness = await startServiceHarness('config', (storage) => ConfigServiceModule.register(storage, { configDir: dir, pollMs: 600_000 }));
    await harness.bus.call(ContextsAdd, { contextId: 1, tags: ['ucInfostore'] });
    await harness.bus.call(ContextsAdd, { contextId: 2, tags: [] });
    premium = await harness.bus.call(UsersAdd, { login: 'premium', password: 'x', contextId: 1 });
    plain = await harness.bus.call(UsersAdd, { login: 'plain', password: 'x', contextId: 2 });
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the files through the ..data links', async () => {
    expect(await effective(plain, ENABLED)).toEqual({ value: false, level: 'server', source: 'caldav.properties:1' });
    expect(await effective(premium, ENABLED)).toMatchObject({ value: true, level: 'context-set' });
  });

  it('serves the new values after each swap, also once the directory it first read is gone', async () => {
    // A watch on the files themselves would miss this: they keep pointing at the old generation.
    volume.swap(files(true, 'six_months', true));
    await waitFor(async () => (await effective(plain, ENABLED)).value === true, 10_000);

    volume.swap(files(true, 'one_year', false));
    await waitFor(async () => (await effective(plain, START)).value === 'one_year', 10_000);
    expect(await effective(premium, ENABLED)).toMatchObject({ value: false, level: 'context-set' });

    volume.swap(files(false, 'one_year', true));
    await waitFor(async () => (await effective(plain, ENABLED)).value === false, 10_000);
    expect(await effective(premium, ENABLED)).toMatchObject({ value: true, level: 'context-set' });
  });
});
