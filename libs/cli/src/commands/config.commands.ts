import { type Command } from 'commander';
import {
  ConfigExplain,
  ConfigFilesReload,
  ConfigGet,
  ConfigResolve,
  ConfigSet,
  ConfigUnset,
  UsersFindByLogin,
  type ConfigValue,
} from '@davmesh/contracts';
import { askEveryInstance, callAdmin, loadServerConfig, type AdminChannel } from '@davmesh/runtime';

type WithChannel = <T>(work: (channel: AdminChannel) => Promise<T>) => Promise<void>;

interface ScopeOptions {
  context?: string;
  user?: string;
}

export class UsageError extends Error {}

async function scopeOf(channel: AdminChannel, opts: ScopeOptions): Promise<{ contextId: number } | { userId: number }> {
  if ((opts.context === undefined) === (opts.user === undefined)) throw new UsageError('give exactly one of --context <id> and --user <login>');
  if (opts.user !== undefined) return { userId: (await callAdmin(channel, UsersFindByLogin, { login: opts.user })).userId };
  const contextId = Number(opts.context);
  if (!Number.isInteger(contextId) || contextId <= 0) throw new UsageError(`"${opts.context}" is not a context id`);
  return { contextId };
}

async function userIdOf(channel: AdminChannel, login: string | undefined): Promise<number> {
  if (!login) throw new UsageError('--user <login> is required');
  return (await callAdmin(channel, UsersFindByLogin, { login })).userId;
}

const show = (value: ConfigValue) => (typeof value === 'string' ? value : JSON.stringify(value));

export function registerConfigCommands(program: Command, withChannel: WithChannel, print: (line: string) => void): void {
  const config = program.command('config').description('the config cascade: server < context sets < context < user');

  config
    .command('get <key>')
    .description('with --user: the effective value and where it comes from; with --context: the value stored at the context')
    .option('--context <id>', 'context id')
    .option('--user <login>', 'user login')
    .action((key: string, opts: ScopeOptions) =>
      withChannel(async (channel) => {
        const scope = await scopeOf(channel, opts);
        if ('userId' in scope) {
          const effective = await callAdmin(channel, ConfigResolve, scope);
          const entry = effective.values[key as keyof typeof effective.values];
          if (!entry) throw new UsageError(`unknown key "${key}"`);
          print(`${show(entry.value)}\t(${entry.level}: ${entry.source})`);
          return;
        }
        const stored = (await callAdmin(channel, ConfigGet, scope)).find((v) => v.key === key);
        print(stored ? show(stored.value) : `(not set at context ${scope.contextId})`);
      }),
    );

  config
    .command('set <key> <value>')
    .description('store a value at a context or a user')
    .option('--context <id>', 'context id')
    .option('--user <login>', 'user login')
    .action((key: string, value: string, opts: ScopeOptions) =>
      withChannel(async (channel) => {
        const { revision } = await callAdmin(channel, ConfigSet, { key, value, ...(await scopeOf(channel, opts)) });
        print(`${key} set (revision ${revision})`);
      }),
    );

  config
    .command('unset <key>')
    .description('remove a value stored at a context or a user')
    .option('--context <id>', 'context id')
    .option('--user <login>', 'user login')
    .action((key: string, opts: ScopeOptions) =>
      withChannel(async (channel) => {
        const { removed } = await callAdmin(channel, ConfigUnset, { key, ...(await scopeOf(channel, opts)) });
        print(removed ? `${key} unset` : `${key} was not set there`);
      }),
    );

  config
    .command('explain <key>')
    .description('every level that sets the key for a user, which one wins and why')
    .requiredOption('--user <login>', 'user login')
    .action((key: string, opts: ScopeOptions) =>
      withChannel(async (channel) => {
        const explanation = await callAdmin(channel, ConfigExplain, { userId: await userIdOf(channel, opts.user), key });
        for (const level of explanation.levels) print(`${level.level.padEnd(11)} ${show(level.value).padEnd(12)} ${level.source}`);
        print(`effective: ${show(explanation.effective.value)}`);
        for (const line of explanation.reason.split('\n')) print(line);
      }),
    );

  config
    .command('list')
    .description("a user's effective values, with the level each came from")
    .requiredOption('--user <login>', 'user login')
    .action((opts: ScopeOptions) =>
      withChannel(async (channel) => {
        const effective = await callAdmin(channel, ConfigResolve, { userId: await userIdOf(channel, opts.user) });
        for (const [key, entry] of Object.entries(effective.values)) print(`${key}=${show(entry.value)}\t(${entry.level}: ${entry.source})`);
      }),
    );

  config
    .command('reload')
    .description('every config replica re-reads its directory now: which files are in force, and why any were refused')
    .option('--replicas <n>', 'over NATS: answer once this many replicas have answered')
    .option('--wait <seconds>', 'over NATS: how long to collect answers', '3')
    .action((opts: { replicas?: string; wait: string }) =>
      withChannel(async (channel) => {
        const expected = opts.replicas === undefined ? undefined : Number(opts.replicas);
        if (expected !== undefined && !(Number.isInteger(expected) && expected > 0)) throw new UsageError(`"${opts.replicas}" is not a number of replicas`);
        const seconds = Number(opts.wait);
        if (!(seconds > 0 && seconds <= 60)) throw new UsageError(`--wait takes 1 to 60 seconds, not "${opts.wait}"`);
        const states = await askEveryInstance(channel, ConfigFilesReload, {}, { maxWaitMs: seconds * 1000, expected });
        for (const state of states) {
          const verdict = state.applied ? 'in force' : 'refused: the last good files stay in force';
          print(`${state.instanceId}\t${state.configDir}\t${verdict}\t(files ${state.inForce.slice(0, 12)})`);
          for (const problem of state.problems) print(`  ${problem.where}: ${problem.message}`);
        }
        const refused = states.filter((s) => !s.applied).length;
        if (refused > 0) throw new Error(`${refused} of ${states.length} config replica(s) refused the files`);
        if (states.length === 0 || (expected !== undefined && states.length < expected)) {
          throw new Error(`${states.length} config replica(s) answered${expected ? `, not ${expected}` : ''}`);
        }
      }),
    );

  config
    .command('check <dir>')
    .description('validate *.properties and contextSets/*.yml before deploying them')
    .action(async (dir: string) => {
      const { config: loaded, problems } = loadServerConfig(dir);
      for (const problem of problems) print(`${problem.where}: ${problem.message}`);
      if (problems.length > 0) throw new Error(`${problems.length} problem(s) in ${dir}`);
      print(`${dir}: ${loaded.properties.size} server value(s), ${loaded.contextSets.length} context set(s), all valid`);
    });
}
