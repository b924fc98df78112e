import { FailedLoginLimiter } from './failed-login-limiter';

const limits = { perLogin: 3, perAddress: 5, windowMs: 10_000 };

describe('failed login limiter', () => {
  it('counts attempts before they run, so parallel guesses cannot overshoot the limit', () => {
    const limiter = new FailedLoginLimiter();
    const admitted = Array.from({ length: 10 }, () => limiter.admit('anna', '192.0.2.1', limits));
    expect(admitted.filter((refusal) => refusal === undefined)).toHaveLength(3);
    expect(admitted[3]).toEqual({ retryAfterSeconds: 10 });
  });

  it('reports a lockout once per key and window, and opens again when the window ends', () => {
    let now = 0;
    const limiter = new FailedLoginLimiter(100, () => now);
    const reports = [];
    for (let i = 0; i < 3; i++) {
      expect(limiter.admit('Anna', '192.0.2.1', limits)).toBeUndefined();
      reports.push(...limiter.failed('Anna', '192.0.2.1', limits));
    }
    expect(reports).toEqual([{ kind: 'login', subject: 'Anna', retryAfterSeconds: 10 }]);
    now = 4_000;
    expect(limiter.admit('anna', '192.0.2.9', limits)).toEqual({ retryAfterSeconds: 6 });
    expect(limiter.admit('bob', '192.0.2.1', limits)).toBeUndefined();
    now = 10_000;
    expect(limiter.admit('anna', '192.0.2.9', limits)).toBeUndefined();
  });

  it('lets a success clear its login and refund its address; an unanswered attempt does not count', () => {
    const limiter = new FailedLoginLimiter();
    for (let i = 0; i < 2; i++) {
      limiter.admit('anna', '192.0.2.1', limits);
      limiter.failed('anna', '192.0.2.1', limits);
    }
    limiter.admit('anna', '192.0.2.1', limits);
    limiter.succeeded('anna', '192.0.2.1');
    for (let i = 0; i < 3; i++) {
      expect(limiter.admit('anna', '192.0.2.1', limits)).toBeUndefined();
      limiter.undecided('anna', '192.0.2.1');
    }
    // Two failures stay on the address: three more attempts from it, then it waits.
    for (let i = 0; i < 3; i++) expect(limiter.admit(`user${i}`, '192.0.2.1', limits)).toBeUndefined();
    expect(limiter.admit('user9', '192.0.2.1', limits)).toBeDefined();
  });

  it('tracks a bounded number of keys, dropping the oldest', () => {
    const limiter = new FailedLoginLimiter(1000);
    for (let i = 0; i < 5000; i++) limiter.admit(`login${i}`, `198.51.100.${i % 256}:${i}`, limits);
    expect(limiter.trackedKeys).toBe(2000);
  });
});
