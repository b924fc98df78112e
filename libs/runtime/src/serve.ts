import { createLogger } from '@davmesh/logging';
import { DEMO_LOGIN, DEMO_PASSWORD } from './demo-seed';
import { startNode, type RunningNode } from './node';
import { loadSettings } from './settings';

/**
 * `davmesh serve`: start the roles, print where to connect, stop cleanly on a signal.
 * A start that fails prints one line saying why and exits non-zero.
 */
export async function serve(role: string, env: NodeJS.ProcessEnv = process.env): Promise<RunningNode | undefined> {
  let node: RunningNode;
  const logger = createLogger();
  try {
    const settings = loadSettings(env, role);
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
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    void node.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return node;
}
