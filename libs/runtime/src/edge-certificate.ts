import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createSecureContext, type Server as TlsServer } from 'node:tls';
import { type Logger } from '@davmesh/logging';

/** PEM files of the edge's certificate (with its chain) and key: DAVMESH_TLS_CERT and DAVMESH_TLS_KEY. */
export interface EdgeTlsFiles {
  certFile: string;
  keyFile: string;
}

export interface CertificatePair {
  cert: Buffer;
  key: Buffer;
}

/**
 * Reads both files and checks that they make a TLS context (the key matches the
 * certificate); throws one line naming the problem otherwise.
 */
export function readCertificatePair(files: EdgeTlsFiles): CertificatePair {
  const read = (name: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`${name} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable'}`);
    }
  };
  const pair = { cert: read('DAVMESH_TLS_CERT', files.certFile), key: read('DAVMESH_TLS_KEY', files.keyFile) };
  try {
    createSecureContext(pair);
  } catch (error) {
    throw new Error(`DAVMESH_TLS_CERT ${files.certFile} and DAVMESH_TLS_KEY ${files.keyFile} do not make a TLS pair: ${(error as Error).message}`);
  }
  return pair;
}

/**
 * Keeps a TLS server on the newest good certificate: the two files are stat'ed every `pollMs`
 * (stat follows symlinks, so the symlink swap of a Kubernetes Secret volume shows as a new
 * inode), and a changed pair is installed with setSecureContext for new connections. A pair
 * that does not load is logged once and the one in use kept, until the files change again.
 */
export class CertificateReloader {
  private seen: string;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly server: TlsServer,
    private readonly files: EdgeTlsFiles,
    pollMs: number,
    private readonly logger: Logger,
  ) {
    this.seen = this.signature();
    this.timer = setInterval(() => this.check(), pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const now = this.signature();
    if (now === this.seen) return;
    this.seen = now;
    try {
      const pair = readCertificatePair(this.files);
      this.server.setSecureContext(pair);
      this.logger.info(describeCertificate(pair.cert), 'TLS certificate reloaded');
    } catch (error) {
      this.logger.error({ err: error, ...this.files }, 'TLS certificate not reloaded: the new files do not load, the previous certificate stays in use');
    }
  }

  /** What changes when either file is replaced, written or swapped by symlink. */
  private signature(): string {
    return [this.files.certFile, this.files.keyFile]
      .map((path) => {
        try {
          const s = statSync(path);
          return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
        } catch {
          return 'missing';
        }
      })
      .join('|');
  }
}

/** Serial, fingerprint and expiry of the first certificate in a PEM file, for logs. */
export function describeCertificate(pem: Buffer): { serialNumber: string; fingerprint256: string; validTo: string } | { fingerprint: string } {
  try {
    const x509 = new X509Certificate(pem);
    return { serialNumber: x509.serialNumber, fingerprint256: x509.fingerprint256, validTo: x509.validTo };
  } catch {
    return { fingerprint: createHash('sha256').update(pem).digest('hex') };
  }
}
