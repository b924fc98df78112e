import fc from 'fast-check';
import { controlChar, hostileText, prototypeName } from './hostile-values';

/** One change to a content-line document (iCalendar, vCard); positions are taken modulo the line count. */
export interface LineMutation {
  name: string;
  apply(lines: string[]): string[];
}

const at = (lines: string[], position: number) => (lines.length === 0 ? 0 : position % lines.length);
const splice = (lines: string[], index: number, remove: number, ...insert: string[]) => [...lines.slice(0, index), ...insert, ...lines.slice(index + remove)];
const valueOf = (line: string) => line.slice(line.indexOf(':') + 1);
const nameOf = (line: string) => (line.includes(':') ? line.slice(0, line.indexOf(':')) : line);

/** Mutations shared by both formats; `extraLines` adds format-specific properties to insert. */
export function lineMutation(extraLines: fc.Arbitrary<string>): fc.Arbitrary<LineMutation> {
  const position = fc.nat();
  return fc.oneof(
    position.map((p) => ({ name: 'drop-line', apply: (l: string[]) => splice(l, at(l, p), 1) })),
    position.map((p) => ({ name: 'duplicate-line', apply: (l: string[]) => splice(l, at(l, p), 0, l[at(l, p)] ?? '') })),
    fc.tuple(position, position).map(([p, q]) => ({ name: 'swap-lines', apply: (l: string[]) => splice(splice(l, at(l, p), 1, l[at(l, q)] ?? ''), at(l, q), 1, l[at(l, p)] ?? '') })),
    fc.tuple(position, fc.nat(), fc.string({ maxLength: 4 })).map(([p, cut, junk]) => ({
      name: 'garble-line',
      apply: (l: string[]) => {
        const line = l[at(l, p)] ?? '';
        const i = line.length ? cut % line.length : 0;
        return splice(l, at(l, p), 1, line.slice(0, i) + junk + line.slice(i + 1));
      },
    })),
    fc.tuple(position, hostileText).map(([p, value]) => ({ name: 'hostile-value', apply: (l: string[]) => splice(l, at(l, p), 1, `${nameOf(l[at(l, p)] ?? 'X')}:${value}`) })),
    fc.tuple(position, controlChar, fc.nat()).map(([p, c, cut]) => ({
      name: 'control-char',
      apply: (l: string[]) => {
        const line = l[at(l, p)] ?? '';
        const i = line.length ? cut % line.length : 0;
        return splice(l, at(l, p), 1, line.slice(0, i) + c + line.slice(i));
      },
    })),
    fc.tuple(position, extraLines).map(([p, extra]) => ({ name: 'insert-line', apply: (l: string[]) => splice(l, Math.max(1, at(l, p)), 0, extra) })),
    fc.tuple(position, prototypeName).map(([p, proto]) => ({ name: 'prototype-name', apply: (l: string[]) => splice(l, Math.max(1, at(l, p)), 0, `${proto}:${valueOf(l[at(l, p)] ?? 'x')}`) })),
    fc.tuple(position, fc.nat({ max: 80 })).map(([p, width]) => ({
      name: 'fold-line',
      apply: (l: string[]) => {
        const line = l[at(l, p)] ?? '';
        return splice(l, at(l, p), 1, `${line.slice(0, width)}\r\n ${line.slice(width)}`);
      },
    })),
    fc.constantFrom(
      { name: 'drop-end-lines', apply: (l: string[]) => l.filter((line) => !line.startsWith('END:')) },
      { name: 'truncate-half', apply: (l: string[]) => l.slice(0, Math.ceil(l.length / 2)) },
      { name: 'empty-lines', apply: (l: string[]) => l.flatMap((line) => [line, '']) },
      { name: 'lowercase-names', apply: (l: string[]) => l.map((line) => nameOf(line).toLowerCase() + line.slice(nameOf(line).length)) },
    ),
  );
}

/** How the lines are joined: CRLF as RFC 5545/6350 say, bare LF or CR as some clients send. */
export const lineEnding = fc.constantFrom('\r\n', '\r\n', '\r\n', '\n', '\r');

/** A document as lines, mutated by 1-4 mutations; the names say what was done. */
export function mutateLines(lines: string[], mutations: LineMutation[]): string[] {
  return mutations.reduce((current, mutation) => mutation.apply(current), lines);
}
