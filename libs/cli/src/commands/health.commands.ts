import { type Command } from 'commander';
import { NatsBusClient } from '@davmesh/bus';
import { readNatsSecurity } from '@davmesh/runtime';
import { CalendarHealth, ConfigHealth, ContactsHealth, DomainException, type ServiceName } from '@davmesh/contracts';
import { UsageError } from './config.commands';

const HEALTH_OF = { config: ConfigHealth, calendar: CalendarHealth, contacts: ContactsHealth } as const;

/**
 * `davmesh health --role <role>`: asks `<prefix>.<role>.v1.health` over NATS, as an exec
 * probe can. Exit 0 when a replica of the service answered (which one is printed), 1 when
 * none did in time. The request goes to the service's queue group, so the answer says the
 * service works, not that the replica in this container does.
 */
export function registerHealthCommand(program: Command, env: NodeJS.ProcessEnv, print: (line: string) => void): void {
  program
    .command('health')
    .description('ask a service over NATS whether a replica answers (exit 0) or not (exit 1)')
    .requiredOption('--role <role>', 'config, calendar or contacts (the edge answers GET /healthz)')
    .option('--timeout-ms <ms>', 'how long to wait for the answer', '3000')
    .action(async (opts: { role: string; timeoutMs: string }) => {
      if (!Object.hasOwn(HEALTH_OF, opts.role)) {
        throw new UsageError(`health --role takes config, calendar or contacts, not "${opts.role}" (the edge answers GET /healthz)`);
      }
      const timeoutMs = Number(opts.timeoutMs);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout-ms "${opts.timeoutMs}" is not a positive whole number`);
      if (!env.NATS_URL) throw new UsageError('health asks the services over NATS: set NATS_URL');
      const contract = HEALTH_OF[opts.role as ServiceName];
      const bus = await NatsBusClient.connect(env.NATS_URL, env.DAVMESH_SUBJECT_PREFIX?.trim() ?? 'davmesh', 'davmesh-health', readNatsSecurity(env));
      try {
        const reply = await bus.request(contract, {}, { timeoutMs });
        if (!reply.ok) throw new DomainException(reply.error.code, reply.error.message);
        print(`${reply.data.service} answered: ${reply.data.instanceId}, schema ${reply.data.schemaVersion}`);
      } finally {
        await bus.close();
      }
    });
}
