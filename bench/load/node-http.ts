import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@davmesh/testing';
import { cpuMs } from '../process-cpu';
import { type LoadServer } from './servers';

/** An answer recorded from davmesh, to be served as is. */
export interface CannedAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** Answers every request by method with a fixed body: the HTTP floor a DAV server sits on. */
const SERVER = `
const { createServer } = require('node:http');
const answers = JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'));
for (const a of Object.values(answers)) a.buffer = Buffer.from(a.body);
createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const a = answers[request.method];
    if (!a) { response.writeHead(405); return response.end(); }
    response.writeHead(a.status, { 'Content-Type': a.contentType, 'Content-Length': a.buffer.length });
    response.end(a.buffer);
  });
}).listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write('listening\\n'));
`;

/** A plain node:http server in its own process answering `answers` (by method), with the collections' paths of the server they came from. */
export async function startNodeHttp(answers: Record<string, CannedAnswer>, collections: LoadServer['collections']): Promise<LoadServer> {
  const dir = mkdtempSync(join(tmpdir(), 'node-http-load-'));
  writeFileSync(join(dir, 'answers.json'), JSON.stringify(answers));
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', SERVER, join(dir, 'answers.json'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`node:http server exited (${code})`)));
  });
  return {
    urls: [`http://127.0.0.1:${port}`],
    user: 'load',
    password: 'load',
    collections,
    cpuMs: () => cpuMs(child.pid!),
    async stop() {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
