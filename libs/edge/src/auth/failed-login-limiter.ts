import { createHash } from 'node:crypto';

/** davmesh.auth.failedLogins.*, as the limiter uses them. */
export interface FailedLoginLimits {
  perLogin: number;
  perAddress: number;
  windowMs: number;
}

/** A key that has just used up its attempts for the current window; reported once per window. */
export interface Lockout {
  kind: 'login' | 'address';
  /** The login as typed (cut to 64 characters) or the client address. */
  subject: string;
  retryAfterSeconds: number;
}

interface Window {
  attempts: number;
  endsAt: number;
  reported: boolean;
}

/**
 * Attempts per key in a fixed window that opens with the key's first attempt. Insertion
 * order is window age, so when the map is full the oldest window is the one dropped.
 */
class AttemptWindows {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly maxKeys: number,
    private readonly now: () => number,
  ) {}

  /** Milliseconds until the key may try again; 0 when it may now. */
  blockedForMs(key: string, limit: number): number {
    const window = this.get(key);
    return window && window.attempts >= limit ? window.endsAt - this.now() : 0;
  }

  add(key: string, windowMs: number): Window {
    let window = this.get(key);
    if (!window) {
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
      window = { attempts: 0, endsAt: this.now() + windowMs, reported: false };
      this.windows.set(key, window);
    }
    window.attempts++;
    return window;
  }

  refund(key: string): void {
    const window = this.get(key);
    if (window && window.attempts > 0) window.attempts--;
  }

  forget(key: string): void {
    this.windows.delete(key);
  }

  get size(): number {
    return this.windows.size;
  }

  get(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.endsAt <= this.now()) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }
}

/**
 * Limits password guessing on this edge node: an attempt that reaches the directory (one
 * scrypt) is counted against its login and its client address before it runs, so parallel
 * guesses cannot overshoot; a success refunds it and clears its login's count. Once either
 * key has used its attempts, further attempts are refused without asking the directory
 * until that key's window ends, even with the right password. Logins remembered by the
 * auth cache never get here, so users already logged in are not slowed or locked out.
 */
export class FailedLoginLimiter {
  private readonly logins: AttemptWindows;
  private readonly addresses: AttemptWindows;

  constructor(maxKeys = 100_000, now: () => number = Date.now) {
    this.logins = new AttemptWindows(maxKeys, now);
    this.addresses = new AttemptWindows(maxKeys, now);
  }

  /** Counts an attempt, or answers how many seconds the client must wait before the next one. */
  admit(login: string, address: string, limits: FailedLoginLimits): { retryAfterSeconds: number } | undefined {
    const loginKey = keyOfLogin(login);
    const blockedMs = Math.max(this.logins.blockedForMs(loginKey, limits.perLogin), this.addresses.blockedForMs(address, limits.perAddress));
    if (blockedMs > 0) return { retryAfterSeconds: Math.max(1, Math.ceil(blockedMs / 1000)) };
    this.logins.add(loginKey, limits.windowMs);
    this.addresses.add(address, limits.windowMs);
    return undefined;
  }

  succeeded(login: string, address: string): void {
    this.logins.forget(keyOfLogin(login));
    this.addresses.refund(address);
  }

  /** The attempt could not be checked (the directory did not answer): it does not count. */
  undecided(login: string, address: string): void {
    this.logins.refund(keyOfLogin(login));
    this.addresses.refund(address);
  }

  /** The attempt failed and stays counted; the keys it has just locked, once per window. */
  failed(login: string, address: string, limits: FailedLoginLimits): Lockout[] {
    const lockouts: Lockout[] = [];
    const check = (windows: AttemptWindows, key: string, limit: number, kind: Lockout['kind'], subject: string) => {
      // The attempt was counted at admission, unless its window ended while it ran.
      const window = windows.get(key) ?? windows.add(key, limits.windowMs);
      if (window.attempts < limit || window.reported) return;
      window.reported = true;
      lockouts.push({ kind, subject, retryAfterSeconds: Math.max(1, Math.ceil(windows.blockedForMs(key, limit) / 1000)) });
    };
    check(this.logins, keyOfLogin(login), limits.perLogin, 'login', login.slice(0, 64));
    check(this.addresses, address, limits.perAddress, 'address', address);
    return lockouts;
  }

  get trackedKeys(): number {
    return this.logins.size + this.addresses.size;
  }
}

/** Logins compare case-insensitively in the directory; hashed so a long login costs no more memory than a short one. */
function keyOfLogin(login: string): string {
  return createHash('sha256').update(login.toLowerCase()).digest('base64');
}
