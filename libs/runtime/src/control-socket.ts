import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type BusClient } from '@davmesh/bus';
import { ADMIN_SUBJECTS, ALL_CONTRACTS, fail, type Reply, type RequestContract } from '@davmesh/contracts';
import { type AdminChannel } from './admin-channel';

/**
 * Lets the CLI reach a running embedded server: a Unix socket in the data directory
 * (owner-only, so the file system is the access check) that relays directory
 * requests, one JSON line each way, onto the in-process bus.
 */
export function controlSocketPath(dataDir: string): string {
  return join(dataDir, 'control.sock');
}

const contractsBySubject = new Map(ALL_CONTRACTS.requests.map((c) => [c.subject, c]));

export async function serveControlSocket(dataDir: string, bus: BusClient): Promise<Server> {
  const path = controlSocketPath(dataDir);
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    const lines = createInterface({ input: socket });
    lines.on('line', (line) => {
      void relay(line, bus).then((reply) => socket.write(`${JSON.stringify(reply)}\n`));
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return server;
}

async function relay(line: string, bus: BusClient): Promise<Reply<unknown>> {
  let message: { subject?: unknown; payload?: unknown };
  try {
    message = JSON.parse(line) as typeof message;
  } catch {
    return fail('bad-request', 'not JSON');
  }
  const subject = typeof message.subject === 'string' ? message.subject : '';
  const contract = contractsBySubject.get(subject);
  if (!contract || !ADMIN_SUBJECTS.has(subject)) return fail('forbidden', `${subject} is not an admin subject`);
  return bus.request(contract, message.payload);
}

/** The CLI's side; undefined when no server is listening. */
export async function connectControlSocket(dataDir: string): Promise<AdminChannel | undefined> {
  const path = controlSocketPath(dataDir);
  const socket = await new Promise<Socket | undefined>((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => resolve(s));
    s.once('error', () => resolve(undefined));
  });
  if (!socket) return undefined;
  const lines = createInterface({ input: socket })[Symbol.asyncIterator]();
  let queue = Promise.resolve();
  return {
    request<Req, Res>(contract: RequestContract<Req, Res>, payload: Req): Promise<Reply<Res>> {
      const result = queue.then(async () => {
        socket.write(`${JSON.stringify({ subject: contract.subject, payload })}\n`);
        const next = await lines.next();
        if (next.done) return fail<Res>('unavailable', 'the server closed the control socket');
        return JSON.parse(next.value as string) as Reply<Res>;
      });
      queue = result.then(() => undefined);
      return result;
    },
    async close() {
      socket.end();
    },
  };
}
