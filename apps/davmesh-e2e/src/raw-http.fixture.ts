import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode } from '@davmesh/runtime';
import { type EmbeddedServer } from './caldav-test-server';
import { UsersAdd } from '@davmesh/contracts';
import { migratedDataDir } from './embedded-data-dir.fixture';

/**
 * An embedded server (demo/demo seeded) whose server config files set `properties`
 * (e.g. `davmesh.http.requestTimeoutMs`), for the specs that need small limits.
 */
export async function startServerWithConfig(properties: Record<string, string | number>): Promise<EmbeddedServer> {
  const dataDir = await migratedDataDir();
  const configDir = mkdtempSync(join(tmpdir(), 'davmesh-http-config-'));
  writeFileSync(join(configDir, 'limits.properties'), Object.entries(properties).map(([key, value]) => `${key}=${value}\n`).join(''));
  const env = { DAVMESH_DATA: dataDir, DAVMESH_CONFIG_DIR: configDir, PORT: '0' };
  const node = await startNode(loadSettings(env, 'all'), createLogger({ level: 'silent' }), { seedDemo: true });
  return {
    node,
    url: node.url!,
    addUser: (login, password) => node.bus.call(UsersAdd, { login, password, contextId: 1, displayName: login, email: `${login}@example.org` }),
    close: async () => {
      await node.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

/** A TCP connection to the server at `url`, once connected; `localAddress` picks the client's address (127.0.0.2 on loopback). */
export function openSocket(url: string, localAddress?: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(port), host: hostname, localAddress }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server writes on the socket, once it closes the connection, and when. */
export function untilClosed(socket: Socket): Promise<{ text: string; closedAt: number }> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  return new Promise((resolve) => socket.once('close', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), closedAt: Date.now() })));
}

/** Sends `head` and `body` as one raw request (with `Connection: close`); the whole answer as text. */
export async function rawRequest(url: string, head: string[], body = '', localAddress?: string): Promise<{ status: number; text: string }> {
  const socket = await openSocket(url, localAddress);
  const closed = untilClosed(socket);
  const lines = [...head, 'Connection: close', `Content-Length: ${Buffer.byteLength(body)}`];
  socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  const { text } = await closed;
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text };
}
