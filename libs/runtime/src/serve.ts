import { createLogger } from '@davmesh/logging';
import { DEMO_LOGIN, DEMO_PASSWORD } from './demo-seed';
import { startNode, type RunningNode } from './node';
import { loadSettings, type RuntimeSettings } from './settings';

/**
 * `davmesh serve`: start the roles, print where to connect, stop cleanly on a signal.
 * A start that fails prints one line saying why and exits non-zero.
 */
export async function serve(role: string, env: NodeJS.ProcessEnv = process.env): Promise<RunningNode | undefined> {
  let node: RunningNode;
  let settings: RuntimeSettings;
  const logger = createLogger();
  try {
    settings = loadSettings(env, role);
    node = await startNode(settings, logger, { seedDemo: settings.mode === 'embedded', controlSocket: true });
    if (node.url) {
      const lines = [`davmesh is serving CalDAV and CardDAV at ${node.url}/dav/`];
      if (node.seededDemo) {
        lines.push(`log in as "${DEMO_LOGIN}" with password "${DEMO_PASSWORD}"`);
        lines.push(`change that password now: npm run davmesh -- user passwd ${DEMO_LOGIN} --password <new password>`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  } catch (error) {
    process.stderr.write(`davmesh: cannot start: ${(error as Error).message}\n`);
    logger.flush();
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.info({ signal }, 'already stopping');
      return;
    }
    stopping = true;
    const graceSeconds = settings.shutdownGraceSeconds;
    const startedAt = Date.now();
    logger.info({ signal, graceSeconds }, 'stopping');
    const overdue = setTimeout(() => {
      logger.error({ graceSeconds }, 'not stopped within the shutdown grace: exiting with work unfinished');
      logger.flush();
      process.exit(1);
    }, graceSeconds * 1000);
    void node.close().then(() => {
      clearTimeout(overdue);
      logger.info({ ms: Date.now() - startedAt }, 'stopped');
      logger.flush();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return node;
}
