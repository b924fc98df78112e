#!/usr/bin/env node
// `npm run build`: compiles what `davmesh` runs into dist/ as plain CommonJS.
//
// SWC, not tsc: it is already what runs the sources (tools/register.cjs) and the specs, so the
// compiled build behaves like them (legacy decorators with emitted design:paramtypes metadata,
// which Nest's constructor injection needs); it rewrites the @davmesh/* path aliases to relative
// requires, which tsc leaves untouched; and it transpiles the entry's import graph in about a
// second instead of a full type-check. Types are checked by `npm run typecheck` and the Nx build targets.
//
// Only files reachable from the entry are compiled (no specs, fixtures or test libraries), and the
// packages they require are checked against package.json "dependencies": the image installs those alone.
const { builtinModules } = require('node:module');
const { existsSync, mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');
const swc = require('@swc/core');

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'dist');
// The CLI, and the embedded node's domain thread, which Node loads by its path (libs/runtime/src/domain-thread).
const ENTRIES = ['apps/davmesh/src/main.ts', 'libs/runtime/src/domain-thread/domain-thread.worker.ts'];
const { compilerOptions } = require(join(ROOT, 'tsconfig.base.json'));
const { dependencies = {} } = require(join(ROOT, 'package.json'));

const swcOptions = (file) => ({
  filename: file,
  sourceMaps: true,
  swcrc: false,
  configFile: false,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    baseUrl: ROOT,
    paths: compilerOptions.paths,
    keepClassNames: true,
  },
  module: { type: 'commonjs', strict: false, strictMode: true },
});

/** `require("...")` calls left in compiled output (SWC writes them with double quotes). */
const REQUIRE = /\brequire\("([^"]+)"\)/g;

function sourceFor(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  throw new Error(`${relative(ROOT, fromFile)}: cannot find the source of "${specifier}"`);
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

async function build() {
  const started = Date.now();
  rmSync(OUT, { recursive: true, force: true });
  const queue = ENTRIES.map((entry) => join(ROOT, entry));
  const seen = new Set(queue);
  const packages = new Map();
  while (queue.length) {
    const file = queue.shift();
    const output = await swc.transformFile(file, swcOptions(file));
    const target = join(OUT, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    const mapName = `${target.split('/').pop()}.map`;
    writeFileSync(target, `${output.code}\n//# sourceMappingURL=${mapName}\n`);
    if (output.map) writeFileSync(`${target}.map`, output.map);
    for (const [, specifier] of output.code.matchAll(REQUIRE)) {
      if (specifier.startsWith('.')) {
        const source = sourceFor(file, specifier);
        if (!seen.has(source)) {
          seen.add(source);
          queue.push(source);
        }
      } else if (specifier.startsWith('node:') || builtinModules.includes(specifier)) {
        continue;
      } else if (specifier.startsWith('@davmesh/')) {
        throw new Error(`${relative(ROOT, file)}: "${specifier}" was not rewritten to a relative path`);
      } else {
        const name = packageName(specifier);
        if (!packages.has(name)) packages.set(name, relative(ROOT, file));
      }
    }
  }
  // Loaded by name, not by a require the walk can see: TypeORM's PostgreSQL driver and pino's pretty transport.
  for (const name of ['pg', 'pino-pretty']) if (!packages.has(name)) packages.set(name, 'loaded by name at run time');
  const missing = [...packages].filter(([name]) => !(name in dependencies));
  if (missing.length) {
    throw new Error(
      `required at run time but not in package.json "dependencies" (the image installs only those): ` +
        missing.map(([name, from]) => `${name} (from ${from})`).join(', '),
    );
  }
  process.stdout.write(
    `built ${seen.size} files into ${relative(process.cwd(), OUT) || '.'}/ in ${Date.now() - started} ms; ` +
      `packages required at run time: ${[...packages.keys()].sort().join(', ')}\n`,
  );
}

build().catch((error) => {
  process.stderr.write(`build failed: ${error.message}\n`);
  process.exit(1);
});
