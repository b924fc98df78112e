import { execFile } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate and its key as PEM files, with what a TLS peer sees of it. */
export interface IssuedCertificate {
  certFile: string;
  keyFile: string;
  /** Upper-case hex, as `X509Certificate.serialNumber` and `getPeerCertificate().serialNumber` give it. */
  serialNumber: string;
  fingerprint256: string;
}

export interface IssueOptions {
  /** DNS names and IP addresses the certificate is valid for (server certificates). */
  hosts?: string[];
  /** A client certificate (extendedKeyUsage clientAuth) rather than a server one. */
  client?: boolean;
}

/**
 * A certificate authority of one test's own, made with Debian's openssl CLI in a temporary
 * directory: EC P-256 keys, one day of validity, a random serial per certificate.
 */
export class TestPki {
  private constructor(
    readonly dir: string,
    readonly name: string,
  ) {}

  static async create(name = 'davmesh test CA'): Promise<TestPki> {
    const pki = new TestPki(mkdtempSync(join(tmpdir(), 'davmesh-pki-')), name);
    await openssl([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', pki.caKeyFile, '-out', pki.caFile, '-days', '1', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    return pki;
  }

  get caFile(): string {
    return join(this.dir, 'ca.crt');
  }

  private get caKeyFile(): string {
    return join(this.dir, 'ca.key');
  }

  /** Issues a certificate signed by this CA into `<dir>/<fileName>.crt` and `.key` (mode 0600). */
  async issue(fileName: string, options: IssueOptions = {}): Promise<IssuedCertificate> {
    const hosts = options.hosts ?? ['localhost', '127.0.0.1'];
    const certFile = join(this.dir, `${fileName}.crt`);
    const keyFile = join(this.dir, `${fileName}.key`);
    const csrFile = join(this.dir, `${fileName}.csr`);
    const extFile = join(this.dir, `${fileName}.ext`);
    const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
    writeFileSync(
      extFile,
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        `extendedKeyUsage=${options.client ? 'clientAuth' : 'serverAuth'}`,
        ...(options.client ? [] : [`subjectAltName=${san}`]),
      ].join('\n'),
    );
    await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', `/CN=${fileName}`]);
    await openssl([
      'x509', '-req', '-in', csrFile, '-CA', this.caFile, '-CAkey', this.caKeyFile, '-days', '1',
      '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-extfile', extFile, '-out', certFile,
    ]);
    chmodSync(keyFile, 0o600);
    const x509 = new X509Certificate(readFileSync(certFile));
    return { certFile, keyFile, serialNumber: x509.serialNumber, fingerprint256: x509.fingerprint256 };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 30_000 });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`openssl ${args[0]} failed: ${(stderr || (error as Error).message).trim()}`);
  }
}
