import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSettings, ROLES } from '@davmesh/runtime';

const root = join(__dirname, '..');

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };

  it('runs postgres, nats and one container per role from the one image', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['calendar', 'config', 'contacts', 'edge', 'nats', 'postgres']);
    for (const role of ROLES) {
      const service = compose.services[role];
      expect(service.command).toEqual(['serve', '--role', role]);
      expect(service.build).toBe('.');
      expect(service.image).toBe('davmesh:local');
      expect(service.depends_on?.postgres.condition).toBe('service_healthy');
    }
  });

  it('gives every role settings it accepts at boot', () => {
    for (const role of ROLES) {
      const env = compose.services[role].environment ?? {};
      const settings = loadSettings(env, role);
      expect(settings.mode).toBe('distributed');
      expect(settings.roles).toEqual([role]);
    }
  });

  it('points the services at the postgres and nats it starts, with matching credentials', () => {
    const pg = compose.services.postgres.environment!;
    const url = new URL(compose.services.config.environment!.DATABASE_URL);
    expect(url.hostname).toBe('postgres');
    expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
    expect(new URL(compose.services.config.environment!.NATS_URL).hostname).toBe('nats');
    expect(compose.services.nats.command).toContain('-js');
  });

  it('publishes only the edge, listening on all interfaces inside its container', () => {
    expect(compose.services.edge.ports).toEqual(['8008:8008']);
    expect(compose.services.edge.environment?.HOST).toBe('0.0.0.0');
    for (const role of ['config', 'calendar', 'contacts']) expect(compose.services[role].ports).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

  it('copies only paths that exist and starts the compiled CLI entry point', () => {
    // COPY --from=<stage> copies what an earlier stage built, not a path of the repository.
    const copies = [...dockerfile.matchAll(/^COPY\s+(?!--from=)(.+?)\s+\S+$/gm)].flatMap((m) => m[1].split(/\s+/));
    expect(copies.length).toBeGreaterThan(0);
    for (const source of copies) expect(existsSync(join(root, source))).toBe(true);
    const entrypoint = JSON.parse(/^ENTRYPOINT\s+(.+)$/m.exec(dockerfile)![1]) as string[];
    // `npm run build` compiles apps/davmesh/src/main.ts to dist/apps/davmesh/src/main.js; the runtime stage copies dist/ to /app/dist.
    expect(entrypoint).toEqual(['node', '/app/dist/apps/davmesh/src/main.js']);
    expect(/^WORKDIR\s+\/app$/m.test(dockerfile.split(/^FROM\s/m).pop()!)).toBe(true);
    expect(dockerfile).toMatch(/^COPY --from=build \S+\/dist \.\/dist$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(dockerfile).toMatch(/^USER 1000(:1000)?$/m);
    expect(existsSync(join(root, 'apps', 'davmesh', 'src', 'main.ts'))).toBe(true);
  });
});
