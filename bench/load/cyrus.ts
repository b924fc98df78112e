import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@davmesh/testing';
import { treeCpuMs } from '../process-cpu';
import { type LoadServer } from './servers';

const MASTER = '/usr/sbin/cyrmaster';

/** Runs IMAP commands as `login` and resolves once the last is answered OK. */
function imap(port: number, login: string, password: string, commands: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const lines = [`a0 LOGIN ${login} "${password}"`, ...commands.map((c, i) => `a${i + 1} ${c}`)];
    let sent = 0;
    let buffer = '';
    socket.setEncoding('utf8');
    socket.setTimeout(10_000, () => socket.destroy(new Error('IMAP: no answer')));
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const tagged = /^a(\d+) (OK|NO|BAD)/.exec(line);
        if (tagged && tagged[2] !== 'OK') return socket.destroy(new Error(`IMAP ${lines[Number(tagged[1])].replace(/".*"/, '"…"')}: ${line}`));
        if ((line.startsWith('* OK') && sent === 0) || (tagged && Number(tagged[1]) === sent - 1)) {
          if (sent === lines.length) {
            socket.end();
            return resolve();
          }
          socket.write(`${lines[sent++]}\r\n`);
        }
      }
    });
  });
}

/**
 * Cyrus IMAP's httpd with `caldav carddav` from the Debian packages, run by a private
 * cyrmaster from an imapd.conf and cyrus.conf in a temporary directory (the system service is
 * not touched): loopback ports for HTTP and for IMAP (to make the user's mailbox), sasldb logins.
 */
export async function startCyrus(): Promise<LoadServer> {
  if (!existsSync(MASTER) || !existsSync('/usr/lib/cyrus/bin/httpd')) throw new Error('not installed (apt-get install cyrus-imapd cyrus-caldav sasl2-bin)');
  if (spawnSync('saslpasswd2', ['-v']).error) throw new Error('saslpasswd2 missing (apt-get install sasl2-bin)');
  if (spawnSync('id', ['cyrus']).status !== 0) throw new Error('no `cyrus` system user');
  const dir = mkdtempSync(join(tmpdir(), 'cyrus-load-'));
  for (const sub of ['conf', 'spool', 'sieve', 'socket', 'run']) mkdirSync(join(dir, sub));
  const [httpPort, imapPort] = [await freePort(), await freePort()];
  const adminPassword = randomBytes(9).toString('hex');
  const conf = join(dir, 'imapd.conf');
  writeFileSync(
    conf,
    [
      `configdirectory: ${dir}/conf`,
      `partition-default: ${dir}/spool`,
      `sievedir: ${dir}/sieve`,
      `lmtpsocket: ${dir}/socket/lmtp`,
      `idlesocket: ${dir}/socket/idle`,
      `notifysocket: ${dir}/socket/notify`,
      `master_pid_file: ${dir}/run/master.pid`,
      'admins: cyrus',
      'sasl_pwcheck_method: auxprop',
      'sasl_auxprop_plugin: sasldb',
      `sasl_sasldb_path: ${dir}/sasldb2`,
      'sasl_mech_list: PLAIN',
      'allowplaintext: yes',
      'httpmodules: caldav carddav',
      'caldav_allowscheduling: off',
      'syslog_prefix: cyrus-load',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'cyrus.conf'),
    [
      'START {',
      `  recover cmd="ctl_cyrusdb -C ${conf} -r"`,
      '}',
      'SERVICES {',
      `  http cmd="httpd -C ${conf}" listen="127.0.0.1:${httpPort}" prefork=2`,
      `  imap cmd="imapd -C ${conf}" listen="127.0.0.1:${imapPort}" prefork=0`,
      '}',
      'EVENTS {',
      '}',
      'DAEMON {',
      '}',
      '',
    ].join('\n'),
  );
  for (const [user, password] of [
    ['bench', 'bench'],
    ['cyrus', adminPassword],
  ]) {
    const made = spawnSync('saslpasswd2', ['-f', join(dir, 'sasldb2'), '-p', '-c', user], { input: password });
    if (made.status !== 0) throw new Error(`saslpasswd2: ${made.stderr.toString()}`);
  }
  spawnSync('chown', ['-R', 'cyrus:mail', dir]);
  const master = spawn(MASTER, ['-C', conf, '-M', join(dir, 'cyrus.conf')], { stdio: 'ignore', detached: true });
  const stop = async () => {
    const exited = new Promise((resolve) => master.once('exit', resolve));
    master.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = `http://127.0.0.1:${httpPort}`;
    for (let i = 0; i < 100 && !(await fetch(url).then(() => true, () => false)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    // httpd provisions the DAV homes of a user whose mailbox exists; the admin makes it over IMAP.
    await imap(imapPort, 'cyrus', adminPassword, ['CREATE user/bench']);
    return {
      urls: [url],
      user: 'bench',
      password: 'bench',
      collections: { calendar: '/dav/calendars/user/bench/load/', book: '/dav/addressbooks/user/bench/load/' },
      cpuMs: () => treeCpuMs(master.pid!),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
