import { createHash } from 'node:crypto';
import { nkeys } from 'nats';

type KeyPair = ReturnType<typeof nkeys.createUser>;

const NO_LIMIT = -1;

/**
 * An operator, one account and its users as NATS JWTs (v2, ed25519-nkey), signed here with
 * nkeys: what `nsc` would make, for a nats-server in operator mode with a memory resolver.
 */
export class NatsOperator {
  private readonly operator = nkeys.createOperator();
  readonly account = nkeys.createAccount();
  /** User public key → the second from which JWTs issued to it are revoked. */
  private readonly revocations: Record<string, number> = {};

  /** The nats-server configuration: this operator, this account preloaded. */
  serverConfig(): string {
    return [
      `operator: ${this.operatorJwt()}`,
      'resolver: MEMORY',
      `resolver_preload: { ${this.account.getPublicKey()}: ${this.accountJwt()} }`,
    ].join('\n');
  }

  /**
   * A `.creds` file's text (user JWT and seed, as `nsc generate creds` writes it) for a new user,
   * signed by this account, or by `signer` (an account the server does not know).
   */
  userCreds(name: string, signer: KeyPair = this.account): { creds: string; publicKey: string } {
    const user = nkeys.createUser();
    const jwt = encode(signer, user.getPublicKey(), name, {
      type: 'user',
      version: 2,
      pub: {},
      sub: {},
      subs: NO_LIMIT,
      data: NO_LIMIT,
      payload: NO_LIMIT,
    });
    const seed = new TextDecoder().decode(user.getSeed());
    const creds = [
      '-----BEGIN NATS USER JWT-----', jwt, '------END NATS USER JWT------', '',
      '************************* IMPORTANT *************************',
      'NKEY Seed printed below can be used to sign and prove identity.',
      'NKEYs are sensitive and should be treated as secrets.', '',
      '-----BEGIN USER NKEY SEED-----', seed, '------END USER NKEY SEED------', '',
    ].join('\n');
    return { creds, publicKey: user.getPublicKey() };
  }

  /** Revokes every JWT issued to the user so far (the account JWT in serverConfig() carries it). */
  revoke(userPublicKey: string): void {
    this.revocations[userPublicKey] = Math.floor(Date.now() / 1000) + 1;
  }

  private operatorJwt(): string {
    return encode(this.operator, this.operator.getPublicKey(), 'davmesh test operator', { type: 'operator', version: 2 });
  }

  private accountJwt(): string {
    const limits = { subs: NO_LIMIT, conn: NO_LIMIT, leaf: NO_LIMIT, imports: NO_LIMIT, exports: NO_LIMIT, data: NO_LIMIT, payload: NO_LIMIT, wildcards: true };
    return encode(this.operator, this.account.getPublicKey(), 'davmesh', {
      type: 'account',
      version: 2,
      limits,
      default_permissions: { pub: {}, sub: {} },
      ...(Object.keys(this.revocations).length && { revocations: this.revocations }),
    });
  }
}

function encode(issuer: KeyPair, subject: string, name: string, nats: Record<string, unknown>): string {
  const claims: Record<string, unknown> = { jti: '', iat: Math.floor(Date.now() / 1000), iss: issuer.getPublicKey(), name, sub: subject, nats };
  // As the Go jwt library: the id is the SHA-512/256 of the claims without it, base32 without padding.
  claims.jti = base32(createHash('sha512-256').update(JSON.stringify(claims)).digest());
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' }));
  const payload = base64url(JSON.stringify(claims));
  const signature = Buffer.from(issuer.sign(new TextEncoder().encode(`${header}.${payload}`))).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}
