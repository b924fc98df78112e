import { fmt } from '../peers';
import { type RunFigures } from './driver';
import { type ServerFigures } from './measure-server';
import { WORKLOADS } from './workloads';

const perSecond = (run: RunFigures) => (run.ok * 1000) / run.elapsedMs;

function rate(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2).replace(/0$/, '');
}

function runOf(server: ServerFigures, workload: string, clients: number): RunFigures | undefined {
  return server.byWorkload.get(workload)?.get(clients);
}

function okCell(server: ServerFigures, workload: string, clients: number, multiRequest: boolean): string {
  const unprepared = server.unprepared.get(workload);
  if (unprepared) return `fails (${unprepared.slice(0, 60)})`;
  const run = runOf(server, workload, clients);
  if (!run) return '';
  const perUnit = multiRequest && run.ok ? ` (${fmt(run.okRequests / run.ok, 0)} req)` : '';
  return `${rate(perSecond(run))}${perUnit}${run.failed ? ` (${run.failed} failed)` : ''}`;
}

/** davmesh ÷ the best peer that answered every check of the workload at this client count. */
function ratioCell(ours: ServerFigures, peers: ServerFigures[], workload: string, clients: number): string {
  const mine = runOf(ours, workload, clients);
  const best = Math.max(0, ...peers.map((p) => runOf(p, workload, clients)).map((r) => (r ? perSecond(r) : 0)));
  if (!mine || best === 0) return 'n/a';
  return `${fmt(perSecond(mine) / best, 2)}×`;
}

function okTable(servers: ServerFigures[], clients: number): string[] {
  const peers = servers.filter((s) => !s.ours && s.label !== NODE_HTTP);
  const ours = servers.filter((s) => s.ours);
  const header = `| workload | ${servers.map((s) => s.label).join(' | ')} | ${ours.map((s) => `${s.label} ÷ best peer`).join(' | ')} |`;
  return [
    header,
    `|${'---|'.repeat(1 + servers.length + ours.length)}`,
    ...WORKLOADS.map(
      (w) =>
        `| ${w.name}${w.multiRequest ? ' (syncs/s)' : ''} | ${servers.map((s) => okCell(s, w.name, clients, w.multiRequest ?? false)).join(' | ')} | ${ours
          .map((s) => ratioCell(s, peers, w.name, clients))
          .join(' | ')} |`,
    ),
  ];
}

function latencyTable(servers: ServerFigures[], clients: number): string[] {
  const cell = (s: ServerFigures, workload: string) => {
    const run = runOf(s, workload, clients);
    return run && run.ok ? `${fmt(run.p50Ms)} / ${fmt(run.p99Ms)} ms, ${fmt(run.cores, 2)} (${fmt(run.driverCores, 2)})` : run ? `—, ${fmt(run.cores, 2)} (${fmt(run.driverCores, 2)})` : '';
  };
  return [
    `| workload | ${servers.map((s) => s.label).join(' | ')} |`,
    `|${'---|'.repeat(1 + servers.length)}`,
    ...WORKLOADS.map((w) => `| ${w.name} | ${servers.map((s) => cell(s, w.name)).join(' | ')} |`),
  ];
}

export const NODE_HTTP = 'node:http, same body';

/** Every failed check, by server, workload and client count, with its reasons. */
function failureLines(servers: ServerFigures[], clientCounts: number[]): string[] {
  const lines: string[] = [];
  for (const s of servers) {
    for (const [workload, reason] of s.unprepared) lines.push(`- ${s.label}, ${workload}: could not be prepared: ${reason}`);
    for (const w of WORKLOADS) {
      for (const n of clientCounts) {
        const run = runOf(s, w.name, n);
        if (!run?.failed) continue;
        const reasons = Object.entries(run.failures)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 3)
          .map(([why, times]) => `${times}× ${why}`)
          .join('; ');
        lines.push(`- ${s.label}, ${w.name}, ${n} client${n > 1 ? 's' : ''}: ${run.failed} failed, ${run.ok} ok (${reasons})`);
      }
      const tolerated = clientCounts.flatMap((n) => Object.keys(runOf(s, w.name, n)?.tolerated ?? {}));
      if (tolerated.length) lines.push(`- ${s.label}, ${w.name}: counted as correct, but ${[...new Set(tolerated)].join('; ')}`);
    }
  }
  return lines;
}

export function loadTables(servers: ServerFigures[], clientCounts: number[]): string[] {
  const measured = servers.filter((s) => !s.unavailable);
  const failures = failureLines(measured, clientCounts);
  return [
    ...[...clientCounts].reverse().flatMap((n) => [`### Answers checked and correct per second, ${n} client${n > 1 ? 's' : ''}`, '', ...okTable(measured, n), '']),
    ...[...clientCounts].reverse().flatMap((n) => [`### Latency p50 / p99, server CPU in cores (load driver CPU in cores), ${n} client${n > 1 ? 's' : ''}`, '', ...latencyTable(measured, n), '']),
    '### Failed checks',
    '',
    ...(failures.length ? failures : ['None: every answer had the expected status and number of elements.']),
    '',
  ];
}
