import { type Command } from 'commander';
import { UsageError } from './config.commands';
import { rfc6764Records } from './dns-records';

const DNS_NAME = /^(?=.{1,253}\.?$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.?$/i;
// A TXT path is one unquoted zone-file string: no white space, quotes or backslashes.
const CONTEXT_PATH = /^\/[^\s"\\]*$/;

function dnsName(option: string, value: string): string {
  if (!DNS_NAME.test(value)) throw new UsageError(`${option} "${value}" is not a DNS name`);
  return value;
}

function portNumber(option: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new UsageError(`${option} "${value}" is not a port (1-65535)`);
  return port;
}

/**
 * `davmesh dns --domain D --host H [--port P] [--path P]`: prints the SRV records (and, when
 * DAV is not at the host's root, the TXT records) of RFC 6764 that let clients find the
 * server from an e-mail address alone. Offline: it only formats what it is given.
 */
export function registerDnsCommand(program: Command, print: (line: string) => void): void {
  program
    .command('dns')
    .description('print the RFC 6764 SRV and TXT records for caldav(s) and carddav(s)')
    .requiredOption('--domain <domain>', 'the mail domain users type (the records are named under it)')
    .requiredOption('--host <host>', 'the host name that serves DAV (the SRV target)')
    .option('--port <port>', 'port of the HTTPS services _caldavs and _carddavs', '443')
    .option('--http-port <port>', 'port of the plain HTTP services _caldav and _carddav', '80')
    .option('--path <path>', 'the DAV context path clients see (com.openexchange.dav.prefixPath); adds TXT records unless /', '/')
    .option('--ttl <seconds>', 'time to live of every record', '10800')
    .action((opts: { domain: string; host: string; port: string; httpPort: string; path: string; ttl: string }) => {
      if (!CONTEXT_PATH.test(opts.path)) throw new UsageError(`--path "${opts.path}" must start with / and hold no spaces, quotes or backslashes`);
      const ttl = Number(opts.ttl);
      if (!/^\d+$/.test(opts.ttl) || ttl > 2147483647) throw new UsageError(`--ttl "${opts.ttl}" is not a number of seconds`);
      const records = rfc6764Records({
        domain: dnsName('--domain', opts.domain),
        host: dnsName('--host', opts.host),
        tlsPort: portNumber('--port', opts.port),
        plainPort: portNumber('--http-port', opts.httpPort),
        path: opts.path,
        ttl,
      });
      for (const record of records) print(record);
    });
}
