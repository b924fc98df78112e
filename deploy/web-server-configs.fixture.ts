import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
