import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, TEST_PG_ADMIN_URL } from '@davmesh/testing';
import { treeCpuMs } from '../process-cpu';
import { DatabaseCpu } from './database-cpu';
import { adminQuery, analyzeDatabase } from './database-statistics';
import { type LoadServer } from './servers';

const HTDOCS = '/usr/share/davical/htdocs';
const MODULES = '/usr/lib/apache2/modules';
const CREATE_DATABASE = '/usr/share/davical/dba/create-database.sh';

function apacheConfig(dir: string, port: number, serverName: string): string {
  return `ServerRoot "${dir}"
ServerName ${serverName}
UseCanonicalName On
PidFile "${dir}/apache2.pid"
Listen 127.0.0.1:${port}
User www-data
Group www-data
ErrorLog "${dir}/error.log"
LogLevel warn
LoadModule mpm_prefork_module ${MODULES}/mod_mpm_prefork.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule mime_module ${MODULES}/mod_mime.so
LoadModule dir_module ${MODULES}/mod_dir.so
LoadModule php_module ${MODULES}/libphp8.2.so
TypesConfig /etc/mime.types
StartServers 10
MinSpareServers 10
MaxSpareServers 20
MaxRequestWorkers 20
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 60
DocumentRoot ${HTDOCS}
DirectoryIndex index.php
AcceptPathInfo On
<Directory ${HTDOCS}>
  Require all granted
  AllowOverride None
</Directory>
<FilesMatch "\\.php$">
  SetHandler application/x-httpd-php
</FilesMatch>
php_value include_path /usr/share/awl/inc
php_value error_reporting "E_ALL & ~E_NOTICE & ~E_DEPRECATED"
php_value default_charset "utf-8"
`;
}

/**
 * DAViCal from the Debian package behind a private Apache (prefork, mod_php) on a loopback
 * port with its own config file, on the machine's PostgreSQL: a database and two roles named
 * for this run (made by DAViCal's create-database.sh, dropped at stop, nothing else touched).
 * DAViCal reads its settings from /etc/davical/<ServerName>-conf.php: the run writes one for a
 * server name of its own and removes it. Persistent database connections are on, DAViCal's
 * faster setting, which also keeps its PostgreSQL backends alive long enough to count their CPU.
 */
export async function startDavical(): Promise<LoadServer> {
  if (!existsSync(join(HTDOCS, 'caldav.php')) || !existsSync(CREATE_DATABASE)) throw new Error('not installed (apt-get install davical)');
  if (!existsSync('/usr/sbin/apache2') || !existsSync(join(MODULES, 'libphp8.2.so'))) throw new Error('Apache with mod_php missing (apt-get install apache2 libapache2-mod-php)');
  const suffix = randomBytes(4).toString('hex');
  const database = `davical_load_${suffix}`;
  const [dba, app] = [`davical_dba_${suffix}`, `davical_app_${suffix}`];
  const adminPassword = randomBytes(9).toString('hex');
  const serverName = `davmesh-load-${suffix}`;
  const siteConfig = `/etc/davical/${serverName}-conf.php`;
  const dir = mkdtempSync(join(tmpdir(), 'davical-load-'));
  const pg = new URL(TEST_PG_ADMIN_URL);
  let databaseCpu: DatabaseCpu | undefined;
  let apache: ReturnType<typeof spawn> | undefined;
  const stop = async () => {
    databaseCpu?.stop();
    if (apache && apache.exitCode === null) {
      const exited = new Promise((resolve) => apache!.once('exit', resolve));
      apache.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    rmSync(siteConfig, { force: true });
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    for (const role of [app, dba]) await adminQuery(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const created = spawnSync('sh', [CREATE_DATABASE, database, adminPassword, dba, app], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PGHOST: pg.hostname, PGPORT: pg.port || '5432', PGUSER: pg.username || 'postgres', PSQLOPTS: `-h ${pg.hostname} -p ${pg.port || '5432'} -U ${pg.username || 'postgres'}` },
    });
    if (created.status !== 0 || !created.stdout.includes(`has been set to '${adminPassword}'`)) throw new Error(`create-database.sh failed: ${(created.stderr || created.stdout).slice(-300)}`);
    writeFileSync(
      siteConfig,
      `<?php\n$c->pg_connect[] = 'dbname=${database} host=${pg.hostname} port=${pg.port || '5432'} user=${app}';\n$c->use_persistent = true;\n$c->system_name = 'davmesh load bench';\n$c->admin_email = 'load@example.org';\n`,
    );
    const port = await freePort();
    writeFileSync(join(dir, 'apache2.conf'), apacheConfig(dir, port, serverName));
    databaseCpu = await DatabaseCpu.start(database);
    // Its own process group: Apache signals its whole group as it stops.
    apache = spawn('/usr/sbin/apache2', ['-f', join(dir, 'apache2.conf'), '-DFOREGROUND'], { stdio: 'ignore', detached: true });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100 && !(await fetch(`${url}/caldav.php/`).then(() => true, () => false)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const cpuOf = databaseCpu;
    const root = apache.pid!;
    return {
      urls: [url],
      user: 'admin',
      password: adminPassword,
      collections: { calendar: '/caldav.php/admin/load-cal/', book: '/caldav.php/admin/load-book/' },
      cpuMs: () => treeCpuMs(root) + cpuOf.cpuMs(),
      afterSeed: () => analyzeDatabase(database),
      diagnostics: () =>
        readFileSync(join(dir, 'error.log'), 'utf8')
          .split('\n')
          .filter((line) => /error|fatal|exception|failed/i.test(line) && !/Could not recognize timezone/.test(line))
          .slice(-8)
          .join('\n'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
