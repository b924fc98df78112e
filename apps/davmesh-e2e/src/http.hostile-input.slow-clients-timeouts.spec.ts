import { type Socket } from 'node:net';
import { basicAuth } from '@davmesh/testing';
import { type EmbeddedServer } from './caldav-test-server';
import { calendarHrefs, dav } from './dav-request.fixture';
import { openSocket, startServerWithConfig, untilClosed } from './raw-http.fixture';

const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
/** Node checks every half second (CONNECTIONS_CHECKING_INTERVAL_MS); the rest is slack for a busy machine. */
const SLACK_MS = 1500;

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still open after ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Writes one byte of `text` every `everyMs` until the socket closes. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let next = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || next >= text.length) return clearInterval(timer);
    socket.write(text[next++]);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

describe('slow clients are cut by the configured header and request timeouts', () => {
  let server: EmbeddedServer;
  let calendar: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await startServerWithConfig({ 'davmesh.http.headersTimeoutMs': HEADERS_TIMEOUT_MS, 'davmesh.http.requestTimeoutMs': REQUEST_TIMEOUT_MS });
    // Also logs demo in, so the trickled requests pass authentication from the cache.
    calendar = (await calendarHrefs(dav(server.url, 'demo', 'demo')))['Calendar'];
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await server?.close();
  });

  it('answers 8 trickled chunked bodies and a trickled header 408 within the bound, serving another client meanwhile, storing nothing', async () => {
    const { host } = new URL(server.url);
    const started = Date.now();
    // Each entry holds a promise: an async function returning `closed` itself would wait for it.
    const bodies = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const socket = await openSocket(server.url);
        sockets.push(socket);
        const closed = untilClosed(socket);
        socket.write(
          [`PUT ${calendar}trickle-${i}.ics HTTP/1.1`, `Host: ${host}`, `Authorization: ${basicAuth('demo', 'demo')}`, 'Content-Type: text/calendar', 'Transfer-Encoding: chunked', '', ''].join('\r\n'),
        );
        trickle(socket, '1\r\nB\r\n'.repeat(100), 300);
        return { closed };
      }),
    );
    const headerSocket = await openSocket(server.url);
    sockets.push(headerSocket);
    const headerClosed = untilClosed(headerSocket);
    headerSocket.write(`PROPFIND /dav/ HTTP/1.1\r\nHost: ${host}\r\n`);
    trickle(headerSocket, 'X-Slow: '.padEnd(200, 'x'), 200);

    const other = await dav(server.url, 'demo', 'demo')('PROPFIND', '/dav/caldav/', { Depth: '0' });
    expect(other.status).toBe(207);
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS);

    const header = await within(headerClosed, HEADERS_TIMEOUT_MS + SLACK_MS, 'the header trickle');
    expect(header.text).toMatch(/^HTTP\/1\.1 408 /);
    for (const body of await within(Promise.all(bodies.map((b) => b.closed)), REQUEST_TIMEOUT_MS + SLACK_MS, 'a body trickle')) {
      expect(body.text).toMatch(/^HTTP\/1\.1 408 /);
      expect(body.closedAt - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    }

    const send = dav(server.url, 'demo', 'demo');
    for (let i = 0; i < 8; i++) expect((await send('GET', `${calendar}trickle-${i}.ics`)).status).toBe(404);
  }, 20_000);
});
