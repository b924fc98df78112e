import { readFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { type AddressInfo } from 'node:net';
import { TestPki, waitFor } from '@davmesh/testing';
import { HttpDrain } from './http-drain';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
}

function get(port: number, path: string, agent: Agent): Promise<Answer> {
  const send = agent instanceof HttpsAgent ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send({ host: '127.0.0.1', port, path, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** The edge serves HTTP, or HTTPS with a certificate (DAVMESH_TLS_CERT): the drain works the same on both. */
interface Flavour {
  createServer(handler: RequestListener): Server;
  agent(options: { keepAlive: boolean; maxSockets: number }): Agent;
}

let pki: TestPki | undefined;
let tlsFiles: { ca: Buffer; cert: Buffer; key: Buffer };
beforeAll(async () => {
  pki = await TestPki.create();
  const issued = await pki.issue('drain');
  tlsFiles = { ca: readFileSync(pki.caFile), cert: readFileSync(issued.certFile), key: readFileSync(issued.keyFile) };
});
afterAll(() => pki?.remove());

const FLAVOURS: [string, Flavour][] = [
  ['HTTP', { createServer: (handler) => createServer(handler), agent: (options) => new Agent(options) }],
  [
    'HTTPS',
    {
      createServer: (handler) => createHttpsServer({ cert: tlsFiles.cert, key: tlsFiles.key }, handler),
      agent: (options) => new HttpsAgent({ ...options, ca: tlsFiles.ca, servername: 'localhost' }),
    },
  ],
];

describe.each(FLAVOURS)('HttpDrain: stopping an %s server without failing a client', (_name, flavour) => {
  let server: Server;
  let drain: HttpDrain;
  let port: number;
  let releases: (() => void)[];
  let held: number;
  const agents: Agent[] = [];
  const keepAlive = () => {
    const agent = flavour.agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    return agent;
  };

  beforeEach(async () => {
    releases = [];
    held = 0;
    server = flavour.createServer((request, response) => {
      const answer = () => response.writeHead(200, { 'Content-Length': '2' }).end('ok');
      if (request.url !== '/slow') return answer();
      held++;
      releases.push(answer);
    });
    drain = new HttpDrain(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    for (const agent of agents.splice(0)) agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers the requests on open connections with Connection: close, refuses new connections, and ends when they are closed', async () => {
    const idleAgent = keepAlive();
    const busyAgent = keepAlive();
    expect((await get(port, '/fast', idleAgent)).headers.connection).toBe('keep-alive');
    const slow = get(port, '/slow', busyAgent);
    await waitFor(() => held === 1);

    const drained = drain.drain(Date.now() + 20_000);

    await expect(get(port, '/fast', keepAlive())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // The idle keep-alive connection is still served: a client may be sending on it right now.
    const onIdle = await get(port, '/fast', idleAgent);
    expect(onIdle).toMatchObject({ status: 200, headers: { connection: 'close' } });
    releases.forEach((release) => release());
    expect(await slow).toMatchObject({ status: 200, headers: { connection: 'close' } });
    expect(await drained).toEqual({ cut: 0, unfinished: 0 });
  });

  it('closes a connection the client keeps idle after a second, long before its keep-alive timeout', async () => {
    server.keepAliveTimeout = 60_000;
    const idleAgent = keepAlive();
    await get(port, '/fast', idleAgent);
    const started = Date.now();
    expect(await drain.drain(Date.now() + 20_000)).toEqual({ cut: 0, unfinished: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('cuts the connections still open at the deadline', async () => {
    const slow = get(port, '/slow', keepAlive());
    await waitFor(() => held === 1);
    expect(await drain.drain(Date.now() + 300)).toEqual({ cut: 1, unfinished: 1 });
    await expect(slow).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});
