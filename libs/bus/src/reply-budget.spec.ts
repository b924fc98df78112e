import { encodedBytes, ReplyBudget, ReplyTooLarge, REPLY_ENVELOPE_BYTES } from './reply-budget';

const item = (bytes: number) => ({ name: 'a.ics', ical: 'x'.repeat(bytes) });

describe('reply budget', () => {
  it('leaves room for the envelope below the connection limit', () => {
    expect(ReplyBudget.forMaxPayload(1024 * 1024).bytes).toBe(1024 * 1024 - REPLY_ENVELOPE_BYTES);
  });

  it('takes items while their JSON fits, and ends the page at the first that does not', () => {
    const budget = new ReplyBudget(300_000);
    const taken = budget.fill([item(95_000), item(95_000), item(95_000), item(95_000), item(10)]);
    expect(taken).toHaveLength(3);
    // The page ends there: a small item after the cut waits for the next page too.
    expect(budget.take(item(10))).toBe(true);
  });

  it('counts bytes as JSON encodes them: escapes and multi-byte characters', () => {
    expect(encodedBytes('a"\n')).toBe(7);
    expect(encodedBytes('ü')).toBe(4);
    const budget = new ReplyBudget(2 * encodedBytes('\r\n'.repeat(1000)) + 1);
    expect(budget.fill(['\r\n'.repeat(1000), '\r\n'.repeat(1000), '\r\n'.repeat(1000)])).toHaveLength(1);
  });

  it('takes a first item that fits alone, and refuses one that cannot travel at all', () => {
    expect(new ReplyBudget(1000).fill([item(900), item(900)])).toHaveLength(1);
    expect(() => new ReplyBudget(1000).take(item(1000))).toThrow(ReplyTooLarge);
    try {
      new ReplyBudget(1000).take(item(1000));
    } catch (error) {
      expect((error as ReplyTooLarge).toError().code).toBe('too-large');
    }
  });

  it('charges what the reply carries anyway before the items', () => {
    const names = Array.from({ length: 200 }, (_, i) => `${'n'.repeat(240)}${i}.ics`);
    const budget = new ReplyBudget(58_000).reserve(names);
    expect(budget.fill([item(5_000), item(5_000), item(5_000)])).toHaveLength(1);
  });
});

describe('reply budget: items admitted on their length', () => {
  /** The budget as it would be if it measured every item: where each page must end. */
  function measuredPage(limit: number, reserved: unknown, items: unknown[]): number {
    let left = limit - (encodedBytes(reserved) + 1);
    for (const [index, candidate] of items.entries()) {
      const size = encodedBytes(candidate) + 1;
      if (size > left) return index;
      left -= size;
    }
    return items.length;
  }

  // A small deterministic generator: the same items on every run.
  let seed = 7;
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const text = (length: number) => Array.from({ length }, () => ['a', 'ü', '"', '\n', '\r', '\u0001', '😀', 'BEGIN:VEVENT'][next(8)]).join('');
  const anItem = (): unknown =>
    [
      () => text(next(400)),
      () => ({ name: `${text(next(20))}.ics`, etag: `"${next(1e9)}"`, size: next(1e6), ical: text(next(3000)), scheduleTag: next(2) ? null : 'x' }),
      () => ({ names: Array.from({ length: next(10) }, () => text(next(30))), removed: next(2) === 1, at: new Date(next(1e12)) }),
    ][next(3)]();

  it('ends every page exactly where measuring each item ends it', () => {
    for (let round = 0; round < 300; round++) {
      const items = Array.from({ length: 1 + next(60) }, anItem);
      const reserved = Array.from({ length: next(5) }, () => text(next(50)));
      const total = items.reduce<number>((sum, candidate) => sum + encodedBytes(candidate) + 1, 0);
      // Limits around the whole page's size, where a page may or may not end.
      const limit = Math.max(encodedBytes(reserved) + encodedBytes(items[0]) + 2, Math.floor(total * (0.3 + next(100) / 100)));
      const budget = new ReplyBudget(limit).reserve(reserved);
      expect({ round, taken: budget.fill(items).length }).toEqual({ round, taken: measuredPage(limit, reserved, items) });
      // And what is left afterwards is charged as exactly: a small item after the cut is judged alike.
      const after = 'x'.repeat(next(200));
      const leftExactly = limit - (encodedBytes(reserved) + 1) - items.slice(0, measuredPage(limit, reserved, items)).reduce<number>((sum, c) => sum + encodedBytes(c) + 1, 0);
      expect(budget.take(after)).toBe(encodedBytes(after) + 1 <= leftExactly);
    }
  });
});
