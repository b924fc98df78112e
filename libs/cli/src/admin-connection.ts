import { resolve } from 'node:path';
import { NatsBusClient } from '@davmesh/bus';
import { createLogger } from '@davmesh/logging';
import { connectControlSocket, loadSettings, readNatsSecurity, startNode, type AdminChannel } from '@davmesh/runtime';

/**
 * Where the CLI's requests go: over NATS to running services when NATS_URL is set; to a
 * running embedded server through its control socket; else straight into a stopped
 * embedded data directory, with the config service (and the contacts and calendar services
 * when the command asks for them, as the `folder` commands do) started for the command.
 */
export async function openAdminChannel(env: NodeJS.ProcessEnv, withFolderServices = false): Promise<AdminChannel> {
  const subjectPrefix = env.DAVMESH_SUBJECT_PREFIX?.trim() ?? 'davmesh';
  if (env.NATS_URL) return NatsBusClient.connect(env.NATS_URL, subjectPrefix, 'davmesh-cli', readNatsSecurity(env));
  const dataDir = resolve(env.DAVMESH_DATA?.trim() || './data');
  const running = await connectControlSocket(dataDir);
  if (running) return running;
  const node = await startNode(
    { ...loadSettings({ ...env, PORT: '0' }, 'all'), mode: 'embedded', roles: withFolderServices ? ['config', 'contacts', 'calendar'] : ['config'], dataDir, domainThread: false },
    createLogger({ level: env.LOG_LEVEL ?? 'warn' }),
  );
  return { request: (contract, payload) => node.bus.request(contract, payload), close: () => node.close() };
}
