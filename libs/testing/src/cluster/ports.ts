import { createServer } from 'node:net';

/** Whether nothing listens on the loopback port (a bind succeeds). */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const taken = new Set<number>();

/**
 * A free loopback port for a private server. DAVMESH_CLUSTER_PORTS ("14240-14259") confines
 * the choice to a range, for machines where each user of the harness owns some ports;
 * otherwise the kernel picks an ephemeral one.
 */
export async function freePort(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const range = /^(\d+)-(\d+)$/.exec(env.DAVMESH_CLUSTER_PORTS?.trim() ?? '');
  if (range) {
    const [low, high] = [Number(range[1]), Number(range[2])];
    // Parallel test processes share the range: each starts looking at a place of its own.
    const start = process.pid % (high - low + 1);
    for (let i = 0; i <= high - low; i++) {
      const port = low + ((start + i) % (high - low + 1));
      if (taken.has(port)) continue;
      if (await bindable(port)) {
        taken.add(port);
        return port;
      }
    }
    throw new Error(`no free port in DAVMESH_CLUSTER_PORTS ${range[0]}`);
  }
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `start` on a free port, and again on another when it fails (another process took the
 * port between the probe and the bind); the ports it failed on stay taken for this process.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, tries = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (error) {
      if (attempt >= tries) throw error;
    }
  }
}

/** Gives a port back to the range (a stopped server's). */
export function releasePort(port: number): void {
  taken.delete(port);
}
