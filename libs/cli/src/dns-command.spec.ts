import { runCli } from './cli';

async function dns(args: string[]): Promise<{ code: number; printed: string[] }> {
  const printed: string[] = [];
  const code = await runCli(['dns', ...args], {}, (line) => printed.push(line));
  return { code, printed };
}

describe('davmesh dns (RFC 6764 records for a zone file)', () => {
  it('prints the four SRV records of the admin guide, HTTPS on 443 and HTTP on 80, and no TXT for the root', async () => {
    const { code, printed } = await dns(['--domain', 'example.org', '--host', 'dav.example.org']);
    expect(code).toBe(0);
    expect(printed).toEqual([
      '_caldavs._tcp.example.org. 10800 IN SRV 10 1 443 dav.example.org.',
      '_caldav._tcp.example.org. 10800 IN SRV 10 1 80 dav.example.org.',
      '_carddavs._tcp.example.org. 10800 IN SRV 10 1 443 dav.example.org.',
      '_carddav._tcp.example.org. 10800 IN SRV 10 1 80 dav.example.org.',
    ]);
  });

  it('adds a TXT path record per service when DAV lives under a prefix, and takes the ports given', async () => {
    const { code, printed } = await dns(['--domain', 'example.org.', '--host', 'mail.example.org', '--port', '8443', '--http-port', '8080', '--path', '/dav']);
    expect(code).toBe(0);
    expect(printed).toContain('_caldavs._tcp.example.org. 10800 IN SRV 10 1 8443 mail.example.org.');
    expect(printed).toContain('_carddav._tcp.example.org. 10800 IN SRV 10 1 8080 mail.example.org.');
    expect(printed.filter((line) => line.includes(' IN TXT '))).toEqual([
      '_caldavs._tcp.example.org. 10800 IN TXT "path=/dav"',
      '_caldav._tcp.example.org. 10800 IN TXT "path=/dav"',
      '_carddavs._tcp.example.org. 10800 IN TXT "path=/dav"',
      '_carddav._tcp.example.org. 10800 IN TXT "path=/dav"',
    ]);
  });

  it.each([
    [['--host', 'dav.example.org']],
    [['--domain', 'example.org']],
    [['--domain', 'exa mple.org', '--host', 'dav.example.org']],
    [['--domain', 'example.org', '--host', 'dav.example.org', '--port', '70000']],
    [['--domain', 'example.org', '--host', 'dav.example.org', '--path', 'dav']],
    [['--domain', 'example.org', '--host', 'dav.example.org', '--path', '/d"av']],
  ])('refuses %j with exit 2 and prints no records', async (args) => {
    const { code, printed } = await dns(args);
    expect(code).toBe(2);
    expect(printed).toEqual([]);
  });
});
