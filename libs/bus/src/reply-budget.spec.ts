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
