import { spawnSync } from 'node:child_process';
import { freePort } from '@davmesh/testing';
import { startRadicale, startXandikos, type PeerProcess } from '../peers';
import { treeCpuMs } from '../process-cpu';
import { startCyrus } from './cyrus';
import { startDavical } from './davical';
import { startDistributed, startEmbedded } from './davmesh-servers';
import { type LoadCollections } from './workloads';

/** A server up for the load bench: where to send requests, as whom, and how much CPU it has used. */
export interface LoadServer {
  /** Base URLs, no trailing slash; client i uses urls[i % length]. */
  urls: string[];
  user: string;
  password: string;
  /** Where the bench makes its calendar (MKCALENDAR) and address book (extended MKCOL). */
  collections: LoadCollections;
  /** CPU ms used so far by the server's processes. */
  cpuMs(): number;
  /** After seeding, before the runs: PostgreSQL-backed servers get their statistics (`analyzeDatabase`). */
  afterSeed?(): Promise<void>;
  /** Drops the log lines the harness kept of the server's processes (davmesh roles log every request). */
  forgetLogs?(): void;
  /** How the server was set up, for the doc. */
  note?: string;
  /** The server's own account of errors (its log's last lines), for the bench's log when checks fail. */
  diagnostics?(): string;
  stop(): Promise<void>;
}

export interface ServerSpec {
  key: string;
  label: string;
  /** Davmesh itself, rather than a peer: the ratios compare these to the best peer. */
  ours?: boolean;
  /** Throws with the reason when the server cannot be installed or started here. */
  start(): Promise<LoadServer>;
}

/** The installed Debian version of a package, or undefined. */
export function debianVersion(pkg: string): string | undefined {
  const out = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  return out.status === 0 && out.stdout ? out.stdout.replace(/^\d+:/, '').replace(/[-+~].*$/, '') : undefined;
}

function fromPeer(peer: PeerProcess | undefined, missing: string, collections: LoadCollections): LoadServer {
  if (!peer) throw new Error(missing);
  return { urls: [peer.url], user: 'bench', password: 'bench', collections, cpuMs: () => treeCpuMs(peer.pid), stop: () => peer.stop() };
}

const version = (pkg: string) => (debianVersion(pkg) ? ` ${debianVersion(pkg)}` : '');

export function serverSpecs(): ServerSpec[] {
  return [
    { key: 'embedded', label: 'davmesh embedded', ours: true, start: startEmbedded },
    { key: 'distributed', label: 'davmesh distributed', ours: true, start: () => startDistributed(1) },
    { key: 'distributed2', label: 'davmesh distributed ×2', ours: true, start: () => startDistributed(2) },
    { key: 'cyrus', label: `Cyrus${version('cyrus-caldav')}`, start: startCyrus },
    { key: 'davical', label: `DAViCal${version('davical')}`, start: startDavical },
    {
      key: 'radicale',
      label: `Radicale${version('radicale')}`,
      start: async () => fromPeer(await startRadicale(await freePort()), 'not installed (apt-get install radicale)', { calendar: '/bench/load-cal/', book: '/bench/load-book/' }),
    },
    {
      key: 'xandikos',
      label: `Xandikos${version('xandikos')}`,
      start: async () => fromPeer(await startXandikos(await freePort()), 'not installed (apt-get install xandikos)', { calendar: '/bench/calendars/load/', book: '/bench/contacts/load/' }),
    },
  ];
}
