import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsersAdd } from '@davmesh/contracts';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode } from '@davmesh/runtime';
import {
  count,
  davRequest,
  DAVX5_UA,
  expectStatus,
  GETETAG,
  inParallel,
  measure,
  measureIncrementalSync,
  type DavTarget,
  type Measurement,
} from './http-timing';
import { type BenchRun as MeasuredRun } from './peers';

export interface CarddavBenchOptions {
  /** Contacts seeded into the measured folder. */
  contacts: number;
  /** Another server instead of an embedded davmesh: its base URL, credentials and the path of a new address book to create. */
  target?: { url: string; user: string; password: string; bookPath: string };
}

export interface BenchRun extends MeasuredRun {
  contacts: number;
}

const APPLE_UA = 'macOS/14.5 (23F79) AddressBook/2487.600.111';

function card(i: number, salt: string): string {
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `UID:bench-${salt}-${i}`,
    `FN:Bench Person ${i}`,
    `N:Person ${i};Bench;;;`,
    `EMAIL;TYPE=INTERNET:person${i}@example.org`,
    `TEL;TYPE=CELL:+49 30 ${String(100000 + i)}`,
    `ORG:Example ${i % 37}`,
    'END:VCARD',
    '',
  ].join('\r\n');
}

const multiget = (hrefs: string[]) =>
  `<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop>${hrefs
    .map((h) => `<D:href>${h}</D:href>`)
    .join('')}</C:addressbook-multiget>`;

/** Measures one address book (and, on davmesh, the aggregated book over it) holding `contacts` cards. */
async function benchBook(target: DavTarget, book: string, contacts: number, aggregated: string | undefined): Promise<{ seedSeconds: number; measurements: Measurement[] }> {
  const salt = randomBytes(3).toString('hex');
  const seedStart = Date.now();
  await inParallel(contacts, 8, async (i) => {
    const response = await davRequest(target, 'PUT', `${book}c${i}.vcf`, card(i, salt), { 'Content-Type': 'text/vcard; charset=utf-8', 'If-None-Match': '*' });
    expectStatus(response, 201, `seed PUT ${i}`);
  });
  const seedSeconds = (Date.now() - seedStart) / 1000;
  const names = Array.from({ length: contacts }, (_, i) => `c${i}.vcf`);
  const pick50 = (round: number) => Array.from({ length: 50 }, (_, k) => names[(round * 997 + k * 101) % contacts]);
  const measurements: Measurement[] = [];
  const collections = [['folder', book, target.userAgent] as const, ...(aggregated ? [['aggregated', aggregated, APPLE_UA] as const] : [])];
  for (const [label, path, userAgent] of collections) {
    const as = { ...target, userAgent };
    measurements.push(
      await measure(`PROPFIND Depth 1 getetag, ${label}`, 10, async () => {
        const response = await davRequest(as, 'PROPFIND', path, GETETAG, { Depth: '1' });
        expectStatus(response, 207, 'PROPFIND');
        if (count(response.text, /getetag>/g) < contacts * 2) throw new Error('PROPFIND answered too few contacts');
      }),
    );
    measurements.push(
      await measure(`addressbook-multiget of 50, ${label}`, 50, async (round) => {
        const response = await davRequest(as, 'REPORT', path, multiget(pick50(round).map((n) => `${path}${n}`)), { Depth: '1' });
        expectStatus(response, 207, 'multiget');
        if (count(response.text, /BEGIN:VCARD/g) !== 50) throw new Error('multiget answered the wrong number of cards');
      }),
    );
  }
  measurements.push(
    await measureIncrementalSync('sync-collection incremental after 10 changes, folder', target, book, 20, async (round, k) => {
      const i = ((round * 10 + k) * 7) % contacts;
      const edited = card(i, salt).replace('FN:', `NOTE:edit ${round}\r\nFN:`);
      expectStatus(await davRequest(target, 'PUT', `${book}c${i}.vcf`, edited, { 'Content-Type': 'text/vcard; charset=utf-8' }), [200, 201, 204], 'change PUT');
    }),
  );
  return { seedSeconds, measurements };
}

/** davmesh embedded (PGlite, in-process bus): one user, their personal folder seeded; the aggregated book holds it plus a small GAL. */
export async function benchEmbeddedDavmesh(contacts: number): Promise<BenchRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'davmesh-bench-'));
  const node = await startNode(loadSettings({ DAVMESH_DATA: dataDir, PORT: '0' }, 'all'), createLogger({ level: 'silent' }), { seedDemo: true });
  try {
    const login = `bench${randomBytes(3).toString('hex')}`;
    await node.bus.call(UsersAdd, { login, password: 'bench', contextId: 1, displayName: 'Bench' });
    const target: DavTarget = { url: node.url!, authorization: `Basic ${Buffer.from(`${login}:bench`).toString('base64')}`, userAgent: DAVX5_UA };
    expectStatus(await davRequest(target, 'MKCOL', '/dav/carddav/bench/', ''), 201, 'MKCOL');
    const { seedSeconds, measurements } = await benchBook(target, '/dav/carddav/bench/', contacts, '/dav/carddav/Contacts/');
    return { label: `davmesh embedded, ${contacts} contacts`, contacts, seedSeconds, measurements };
  } finally {
    await node.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Another CardDAV server: the same workload on a new address book made with extended MKCOL. */
export async function benchTarget(contacts: number, remote: NonNullable<CarddavBenchOptions['target']>, label: string): Promise<BenchRun> {
  const target: DavTarget = {
    url: remote.url.replace(/\/$/, ''),
    authorization: `Basic ${Buffer.from(`${remote.user}:${remote.password}`).toString('base64')}`,
    userAgent: DAVX5_UA,
  };
  const mkcol = `<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>`;
  expectStatus(await davRequest(target, 'MKCOL', remote.bookPath, mkcol), 201, 'MKCOL');
  const { seedSeconds, measurements } = await benchBook(target, remote.bookPath, contacts, undefined);
  return { label: `${label}, ${contacts} contacts`, contacts, seedSeconds, measurements };
}
