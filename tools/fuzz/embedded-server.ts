/**
 * The server under test of the fuzzer, run as a child process (see libs/fuzz ServerProcess):
 * an embedded server with one user per fuzzing lane and a victim login for bad passwords.
 */
import { startEmbeddedServer } from '../../apps/davmesh-e2e/src/caldav-test-server';

async function main(): Promise<void> {
  const lanes = Number(process.argv[2] ?? '1');
  const server = await startEmbeddedServer();
  const users = [];
  for (let i = 0; i < lanes; i += 1) {
    const login = `fuzz-lane-${i}`;
    const password = `lane-${i}-pw`;
    await server.addUser(login, password);
    users.push({ login, password });
  }
  await server.addUser('fuzz-victim', 'victim-pw');
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
  process.send?.({ url: server.url, users });
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
