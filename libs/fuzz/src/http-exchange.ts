import { request, type Agent } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpAnswer {
  /** 0 when there was no answer: the connection failed, or `hangMs` passed. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  elapsedMs: number;
  /** Why there is no status: 'hang' (no answer in time), a socket error code, or 'unsendable' (the client refused the input). */
  error?: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const MAX_TEXT = 2 * 1024 * 1024;

/** One HTTP exchange over a keep-alive agent, with a hard deadline; never throws. */
export function exchange(agent: Agent, origin: URL, raw: RawRequest, hangMs: number): Promise<HttpAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: Omit<HttpAnswer, 'elapsedMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...answer, elapsedMs: Math.round(performance.now() - started) });
    };
    let req: ReturnType<typeof request>;
    try {
      req = request({ agent, host: origin.hostname, port: origin.port, method: raw.method, path: raw.path, headers: { ...raw.headers, ...(raw.body ? { 'Content-Length': String(raw.body.length) } : {}) } });
    } catch (error) {
      resolve({ status: 0, headers: {}, text: '', elapsedMs: 0, error: `unsendable: ${(error as Error).message}` });
      return;
    }
    const timer = setTimeout(() => {
      finish({ status: 0, headers: {}, text: '', error: 'hang' });
      req.destroy();
    }, hangMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_TEXT) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error: NodeJS.ErrnoException) => finish({ status: 0, headers: {}, text: '', error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => finish({ status: 0, headers: {}, text: '', error: error.code ?? error.message }));
    req.end(raw.body);
  });
}
