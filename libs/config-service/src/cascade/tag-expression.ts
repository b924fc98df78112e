/**
 * `withTags` expressions of context sets: tags combined with `&` (and), `|` (or),
 * `!` (not) and parentheses; `!` binds tightest, then `&`, then `|`.
 */
export type TagExpression =
  | { kind: 'tag'; tag: string }
  | { kind: 'not'; operand: TagExpression }
  | { kind: 'and' | 'or'; operands: TagExpression[] };

export class TagExpressionError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = 'TagExpressionError';
  }
}

type Token = { kind: 'tag'; text: string; at: number } | { kind: '&' | '|' | '!' | '(' | ')'; at: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:([A-Za-z0-9_.-]+)|([&|!()]))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(source);
    if (!match) throw new TagExpressionError(`unexpected "${source.slice(at).trim()[0]}"`, at + 1);
    const start = match.index + match[0].length - (match[1] ?? match[2]).length;
    tokens.push(match[1] ? { kind: 'tag', text: match[1], at: start } : { kind: match[2] as '&', at: start });
    at = pattern.lastIndex;
  }
  return tokens;
}

export function parseTagExpression(source: string): TagExpression {
  const tokens = tokenize(source);
  let position = 0;
  const peek = () => tokens[position];
  const fail = (message: string): never => {
    throw new TagExpressionError(message, (peek()?.at ?? source.length) + 1);
  };

  const parseOr = (): TagExpression => {
    const operands = [parseAnd()];
    while (peek()?.kind === '|') {
      position++;
      operands.push(parseAnd());
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  };
  const parseAnd = (): TagExpression => {
    const operands = [parseUnary()];
    while (peek()?.kind === '&') {
      position++;
      operands.push(parseUnary());
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  };
  const parseUnary = (): TagExpression => {
    const token = peek();
    if (!token) return fail('expression ends where a tag was expected');
    if (token.kind === '!') {
      position++;
      return { kind: 'not', operand: parseUnary() };
    }
    if (token.kind === '(') {
      position++;
      const inner = parseOr();
      if (peek()?.kind !== ')') fail('missing ")"');
      position++;
      return inner;
    }
    if (token.kind === 'tag') {
      position++;
      return { kind: 'tag', tag: token.text };
    }
    return fail(`unexpected "${token.kind}" where a tag was expected`);
  };

  if (tokens.length === 0) fail('empty expression');
  const expression = parseOr();
  if (position < tokens.length) fail(`unexpected "${tokens[position].kind === 'tag' ? (tokens[position] as { text: string }).text : tokens[position].kind}"`);
  return expression;
}

export function matchesTags(expression: TagExpression, tags: ReadonlySet<string>): boolean {
  switch (expression.kind) {
    case 'tag':
      return tags.has(expression.tag);
    case 'not':
      return !matchesTags(expression.operand, tags);
    case 'and':
      return expression.operands.every((e) => matchesTags(e, tags));
    case 'or':
      return expression.operands.some((e) => matchesTags(e, tags));
  }
}
