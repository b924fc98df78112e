import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';

export const NGINX_DIR = join(__dirname, 'nginx');
export const APACHE_DIR = join(__dirname, 'apache');

export interface CheckResult {
  ok: boolean;
  output: string;
}

/** A scratch directory holding a certificate and key for `name`, as a site's files would name them. */
export function scratchWithCertificates(names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'davmesh-web-'));
  for (const name of names) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`)], {
      stdio: 'ignore',
    });
  }
  return dir;
}

/** A shipped site file with its certificate paths pointed into `scratch` and its includes at the shipped files. */
export function siteFile(path: string, scratch: string): string {
  return readFileSync(path, 'utf8').replaceAll('/etc/ssl/davmesh/', `${scratch}/`).replaceAll('/etc/nginx/davmesh/', `${NGINX_DIR}/`);
}

/** nginx's main file around an upstream file and a site file, everything it writes kept in `scratch`. */
export function nginxMainFile(scratch: string, upstream: string, site: string): string {
  writeFileSync(join(scratch, 'upstream.conf'), upstream);
  writeFileSync(join(scratch, 'site.conf'), site);
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(scratch, temp), { recursive: true });
  const main = join(scratch, 'nginx.conf');
  writeFileSync(
    main,
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
pid ${scratch}/nginx.pid;
error_log stderr notice;
daemon off;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path ${scratch}/body;
    proxy_temp_path ${scratch}/proxy;
    fastcgi_temp_path ${scratch}/fastcgi;
    uwsgi_temp_path ${scratch}/uwsgi;
    scgi_temp_path ${scratch}/scgi;
    include ${scratch}/upstream.conf;
    include ${scratch}/site.conf;
}
`,
  );
  return main;
}

/** Why nginx cannot run here (Debian's package is missing), or undefined when it can. */
export function nginxMissing(): string | undefined {
  return spawnSync('nginx', ['-v']).error ? 'nginx (apt-get install nginx)' : undefined;
}

/** The shipped upstream.conf with its server line once per edge (`host:port`), its parameters kept. */
export function upstreamFile(edges: string[]): string {
  const shipped = readFileSync(join(NGINX_DIR, 'upstream.conf'), 'utf8');
  const line = /^(\s*)server 127\.0\.0\.1:8008( [^;]*)?;$/m.exec(shipped);
  if (!line) throw new Error('upstream.conf has no "server 127.0.0.1:8008 ...;" line to point at the edges');
  return shipped.replace(line[0], edges.map((edge) => `${line[1]}server ${edge}${line[2] ?? ''};`).join('\n'));
}

/**
 * A site file listening on `tls` (`127.0.0.1:8443`) instead of 443 and, when it has a plain HTTP
 * server, on `plain` instead of 80; its IPv6 listen lines dropped.
 */
export function listenOn(site: string, tls: string, plain?: string): string {
  if (!/^\s*listen 443 ssl;$/m.test(site)) throw new Error('the site file has no "listen 443 ssl;" line');
  const hasPlain = /^\s*listen 80;$/m.test(site);
  if (hasPlain && !plain) throw new Error('the site file listens on port 80 too: give an address for it');
  return site
    .replace(/^\s*listen \[::\]:(443 ssl|80);\n/gm, '')
    .replace(/^(\s*)listen 443 ssl;$/m, `$1listen ${tls} ssl;`)
    .replace(/^(\s*)listen 80;$/m, `$1listen ${plain};`);
}

export interface RunningNginx {
  /** What nginx wrote to stderr (its error log). */
  output(): string;
  stop(): Promise<void>;
}

/** nginx in the foreground on a main file (nginxMainFile), resolved once `listen` (`host:port`) accepts connections. */
export async function startNginx(scratch: string, main: string, listen: string, timeoutMs = 30_000): Promise<RunningNginx> {
  const child = spawn('nginx', ['-p', scratch, '-c', main, '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // SIGTERM: the master stops its workers and exits (SIGKILL would leave the worker behind).
    child.kill('SIGTERM');
    await exited;
  };
  const [host, port] = [listen.slice(0, listen.lastIndexOf(':')), Number(listen.slice(listen.lastIndexOf(':') + 1))];
  const deadline = Date.now() + timeoutMs;
  // The master binds before it starts its worker (a port taken meanwhile makes it exit, [emerg] bind()).
  while (!(output.includes('start worker process') && (await accepts(host, port)))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nginx exited before it listened on ${listen}:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not listen on ${listen} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { output: () => output, stop };
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function nginxTest(scratch: string, main: string): CheckResult {
  const run = spawnSync('nginx', ['-t', '-p', scratch, '-c', main], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

const APACHE_MODULES = ['mpm_event', 'authz_core', 'ssl', 'socache_shmcb', 'proxy', 'proxy_http', 'proxy_balancer', 'lbmethod_byrequests', 'slotmem_shm', 'headers', 'rewrite', 'alias'];

/** `apache2ctl -t` on a site file inside a minimal server configuration (the modules the site names, nothing else). */
export function apacheTest(scratch: string, site: string): CheckResult {
  writeFileSync(join(scratch, 'site.conf'), site);
  const main = join(scratch, 'apache2.conf');
  writeFileSync(
    main,
    `ServerRoot ${scratch}
PidFile ${scratch}/apache2.pid
ErrorLog ${scratch}/error.log
Listen 127.0.0.1:443
Listen 127.0.0.1:80
${APACHE_MODULES.map((name) => `LoadModule ${name}_module /usr/lib/apache2/modules/mod_${name}.so`).join('\n')}
Include ${scratch}/site.conf
`,
  );
  const run = spawnSync('apache2ctl', ['-t', '-f', main], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}
