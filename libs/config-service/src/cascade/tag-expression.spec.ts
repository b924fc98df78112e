import { matchesTags, parseTagExpression, TagExpressionError } from './tag-expression';

const matches = (expression: string, ...tags: string[]) => matchesTags(parseTagExpression(expression), new Set(tags));

describe('withTags expressions', () => {
  it('matches a single tag', () => {
    expect(matches('ucInfostore', 'ucInfostore', 'other')).toBe(true);
    expect(matches('ucInfostore', 'other')).toBe(false);
  });

  it('binds ! tighter than & and & tighter than |', () => {
    expect(matches('a | b & c', 'a')).toBe(true);
    expect(matches('a | b & c', 'b')).toBe(false);
    expect(matches('(a | b) & c', 'a')).toBe(false);
    expect(matches('(a | b) & c', 'b', 'c')).toBe(true);
    expect(matches('!a & b', 'b')).toBe(true);
    expect(matches('!(a & b)', 'a', 'b')).toBe(false);
    expect(matches('!!a', 'a')).toBe(true);
  });

  it('reports where an expression is broken', () => {
    for (const bad of ['', 'a &', '(a | b', 'a b', '& a', 'a | | b', 'a $ b']) {
      expect(() => parseTagExpression(bad)).toThrow(TagExpressionError);
    }
    try {
      parseTagExpression('premium & (ucInfostore');
    } catch (error) {
      expect((error as TagExpressionError).message).toContain('missing ")"');
    }
  });
});
