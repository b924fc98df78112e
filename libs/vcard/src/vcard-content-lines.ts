/** One unfolded content line of a vCard, split lexically (RFC 6350 3.3) and not interpreted. */
export interface ContentLine {
  /** The property name, lower-cased, without its group. */
  name: string;
  /** Parameters as written, names lower-cased, values raw (quotes included, unescaped nothing). */
  params: { name: string; value: string }[];
  /** The raw value: everything after the colon that ends the parameters. */
  value: string;
}

/**
 * The content lines of a vCard text, unfolded as ical.js unfolds them (CRLF or LF, then a space
 * or tab). Lenient: a malformed line still yields its pieces, it is the parser's job to refuse it.
 */
export function contentLines(text: string): ContentLine[] {
  const lines: ContentLine[] = [];
  let current: string | undefined;
  for (const physical of text.split(/\r?\n/)) {
    if (current !== undefined && (physical.startsWith(' ') || physical.startsWith('\t'))) {
      current += physical.slice(1);
      continue;
    }
    if (current) lines.push(splitLine(current));
    current = physical;
  }
  if (current?.trim()) lines.push(splitLine(current));
  return lines;
}

function splitLine(line: string): ContentLine {
  let position = indexOfAny(line, ';:', 0);
  const qualified = line.slice(0, position).toLowerCase();
  const name = qualified.slice(qualified.indexOf('.') + 1);
  const params: ContentLine['params'] = [];
  while (line[position] === ';') {
    const nameEnd = indexOfAny(line, '=;:', position + 1);
    const paramName = line.slice(position + 1, nameEnd).toLowerCase();
    if (line[nameEnd] !== '=') {
      params.push({ name: paramName, value: '' });
      position = nameEnd;
      continue;
    }
    let valueEnd = nameEnd + 1;
    for (;;) {
      if (line[valueEnd] === '"') {
        const close = line.indexOf('"', valueEnd + 1);
        valueEnd = close === -1 ? line.length : close + 1;
      }
      const stop = indexOfAny(line, ';:"', valueEnd);
      valueEnd = stop;
      if (line[stop] !== '"') break;
    }
    params.push({ name: paramName, value: line.slice(nameEnd + 1, valueEnd) });
    position = valueEnd;
  }
  return { name, params, value: position < line.length ? line.slice(position + 1) : '' };
}

/** The first index at or after `from` holding one of `chars`, or the line's length. */
function indexOfAny(line: string, chars: string, from: number): number {
  for (let i = from; i < line.length; i++) if (chars.includes(line[i])) return i;
  return line.length;
}
