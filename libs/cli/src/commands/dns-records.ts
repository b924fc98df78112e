/** What `davmesh dns` is asked for: the mail domain, the host serving DAV, its ports and context path. */
export interface DnsRecordRequest {
  domain: string;
  host: string;
  /** Port of the TLS services (_caldavs, _carddavs). */
  tlsPort: number;
  /** Port of the plain services (_caldav, _carddav). */
  plainPort: number;
  /** Context path for the TXT records; none are written for the root. */
  path: string;
  ttl: number;
}

const SERVICES = ['caldavs', 'caldav', 'carddavs', 'carddav'] as const;

/** A DNS name as a zone file writes it: fully qualified, ending in a dot. */
function absolute(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/**
 * RFC 6764 section 3 (SRV, priority 10 weight 1 as the admin guide writes them) and section 4
 * (TXT `path=`) records in zone-file syntax, one per line.
 */
export function rfc6764Records(request: DnsRecordRequest): string[] {
  const domain = absolute(request.domain);
  const target = absolute(request.host);
  const srv = SERVICES.map((service) => {
    const port = service.endsWith('s') ? request.tlsPort : request.plainPort;
    return `_${service}._tcp.${domain} ${request.ttl} IN SRV 10 1 ${port} ${target}`;
  });
  if (request.path === '/') return srv;
  // RFC 6764 section 4: the value is a character string of the form "path=/...", quoted in zone files.
  const txt = SERVICES.map((service) => `_${service}._tcp.${domain} ${request.ttl} IN TXT "path=${request.path}"`);
  return [...srv, ...txt];
}
