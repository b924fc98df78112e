import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Pair as PropertyPair, parseLines } from 'dot-properties';
import { isMap, isScalar, LineCounter, parseDocument, type Pair } from 'yaml';
import { type ConfigKey, type ConfigValue } from '@davmesh/contracts';
import { parseTagExpression, TagExpressionError, type TagExpression } from './tag-expression';
import { checkSetting } from './value-validation';

/** A value with where it was written, for `explain` and for error messages. */
export interface SourcedValue {
  value: ConfigValue;
  source: string;
}

export interface ContextSet {
  name: string;
  /** `contextSets/caldav.yml:3` */
  source: string;
  withTags: string;
  expression: TagExpression;
  values: Map<ConfigKey, SourcedValue>;
}

/** Everything the config directory says, parsed and checked. */
export interface ServerConfig {
  properties: Map<ConfigKey, SourcedValue>;
  /** In application order: by file name, then as written. A later matching set wins. */
  contextSets: ContextSet[];
}

export interface ConfigProblem {
  /** `caldav.properties:3` */
  where: string;
  message: string;
}

export const EMPTY_SERVER_CONFIG: ServerConfig = { properties: new Map(), contextSets: [] };

/**
 * Reads `*.properties` and `contextSets/*.yml` (and `.yaml`) of a directory. Any
 * problem is reported with file and line; the caller decides to refuse the whole
 * result, so a typo never half-applies.
 */
export function loadServerConfig(dir: string): { config: ServerConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const config: ServerConfig = { properties: new Map(), contextSets: [] };
  if (!existsSync(dir)) return { config, problems };
  for (const file of listFiles(dir, /\.properties$/)) {
    readProperties(join(dir, file), file, config.properties, problems);
  }
  const setsDir = join(dir, 'contextSets');
  const setNames = new Map<string, string>();
  for (const file of listFiles(setsDir, /\.ya?ml$/)) {
    readContextSets(join(setsDir, file), relative(dir, join(setsDir, file)), config.contextSets, setNames, problems);
  }
  return { config, problems };
}

/** Changes whenever a file is added, removed or rewritten (also through a Kubernetes ConfigMap symlink swap). */
/** By content, not size and mtime: a rewrite within the file system's time resolution is seen too. */
export function fingerprintServerConfig(dir: string): string {
  const hash = createHash('sha256');
  if (!existsSync(dir)) return hash.update('absent').digest('hex');
  for (const [sub, pattern] of [
    ['', /\.properties$/],
    ['contextSets', /\.ya?ml$/],
  ] as const) {
    for (const file of listFiles(join(dir, sub), pattern)) {
      hash.update(`${sub}/${file}\0`).update(readFileSync(join(dir, sub, file))).update('\0');
    }
  }
  return hash.digest('hex');
}

function listFiles(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => pattern.test(name) && statSync(join(dir, name)).isFile())
    .sort();
}

function readProperties(path: string, file: string, into: Map<ConfigKey, SourcedValue>, problems: ConfigProblem[]): void {
  const text = readFileSync(path, 'utf8');
  const lineOf = lineCounter(text);
  for (const node of parseLines(text, true)) {
    if (!(node instanceof PropertyPair)) continue;
    const where = `${file}:${lineOf(node.range?.[0] ?? 0)}`;
    const checked = checkSetting(node.key, node.value, 'server');
    if (!checked.ok) {
      problems.push({ where, message: checked.message });
      continue;
    }
    const earlier = into.get(checked.key);
    if (earlier && earlier.value !== checked.value) {
      problems.push({ where, message: `${checked.key} is set already at ${earlier.source} to another value` });
      continue;
    }
    into.set(checked.key, { value: checked.value, source: where });
  }
}

function readContextSets(
  path: string,
  file: string,
  into: ContextSet[],
  setNames: Map<string, string>,
  problems: ConfigProblem[],
): void {
  const lines = new LineCounter();
  const document = parseDocument(readFileSync(path, 'utf8'), { lineCounter: lines, uniqueKeys: true });
  const at = (offset: number | undefined) => `${file}:${lines.linePos(offset ?? 0).line}`;
  for (const error of document.errors) problems.push({ where: at(error.pos[0]), message: error.message.split('\n')[0] });
  if (document.errors.length > 0) return;
  if (document.contents === null) return;
  if (!isMap(document.contents)) {
    problems.push({ where: at(0), message: 'a context sets file maps set names to their settings' });
    return;
  }
  for (const pair of document.contents.items as Pair[]) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const where = at(isScalar(pair.key) ? pair.key.range?.[0] : 0);
    if (setNames.has(name)) {
      problems.push({ where, message: `context set "${name}" is defined already at ${setNames.get(name)}` });
      continue;
    }
    setNames.set(name, where);
    if (!isMap(pair.value)) {
      problems.push({ where, message: `context set "${name}" needs withTags and settings` });
      continue;
    }
    const set = readOneSet(name, where, pair.value.items as Pair[], at, problems);
    if (set) into.push(set);
  }
}

function readOneSet(
  name: string,
  where: string,
  items: Pair[],
  at: (offset: number | undefined) => string,
  problems: ConfigProblem[],
): ContextSet | undefined {
  let withTags: string | undefined;
  let expression: TagExpression | undefined;
  const values = new Map<ConfigKey, SourcedValue>();
  let valid = true;
  for (const item of items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    const itemWhere = at(isScalar(item.key) ? item.key.range?.[0] : undefined);
    const raw = isScalar(item.value) ? item.value.value : undefined;
    if (key === 'withTags') {
      withTags = raw === undefined || raw === null ? '' : String(raw);
      try {
        expression = parseTagExpression(withTags);
      } catch (error) {
        const column = error instanceof TagExpressionError ? ` (column ${error.column})` : '';
        problems.push({ where: itemWhere, message: `bad withTags "${withTags}": ${(error as Error).message}${column}` });
        valid = false;
      }
      continue;
    }
    const checked = checkSetting(key, raw, 'context-set');
    if (!checked.ok) {
      problems.push({ where: itemWhere, message: checked.message });
      valid = false;
      continue;
    }
    values.set(checked.key, { value: checked.value, source: `context set "${name}" (${itemWhere})` });
  }
  if (withTags === undefined) {
    problems.push({ where, message: `context set "${name}" has no withTags` });
    return undefined;
  }
  return valid && expression ? { name, source: where, withTags, expression, values } : undefined;
}

function lineCounter(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}
