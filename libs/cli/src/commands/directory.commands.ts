import { type Command } from 'commander';
import {
  ContextsAdd,
  ContextsList,
  UsersAdd,
  UsersList,
  UsersSetEnabled,
  UsersSetPassword,
  UsersUpdate,
  type User,
} from '@davmesh/contracts';
import { callAdmin, type AdminChannel } from '@davmesh/runtime';

type WithChannel = <T>(work: (channel: AdminChannel) => Promise<T>) => Promise<void>;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`"${value}" is not a positive whole number`);
  return n;
}

function describeUser(user: User): string {
  const state = user.enabled ? 'enabled' : 'disabled';
  return `${user.userId}\t${user.login}\tcontext ${user.contextId}\t${user.displayName}\t${user.email ?? '-'}\t${state}`;
}

export function registerDirectoryCommands(program: Command, withChannel: WithChannel, print: (line: string) => void): void {
  const context = program.command('context').description('contexts (tenants) of the directory');
  context
    .command('add <id>')
    .description('add a context')
    .option('--name <name>', 'display name')
    .option('--tags <tags>', 'comma-separated tags, matched by context sets')
    .action((id: string, opts: { name?: string; tags?: string }) =>
      withChannel(async (channel) => {
        const tags = opts.tags?.split(',').map((t) => t.trim()).filter(Boolean);
        const created = await callAdmin(channel, ContextsAdd, { contextId: positiveInt(id), name: opts.name, tags });
        print(`context ${created.contextId} "${created.name}" added${created.tags.length ? ` with tags ${created.tags.join(',')}` : ''}`);
      }),
    );
  context
    .command('list')
    .description('list contexts')
    .action(() =>
      withChannel(async (channel) => {
        for (const c of await callAdmin(channel, ContextsList, {})) print(`${c.contextId}\t${c.name}\t${c.tags.join(',')}`);
      }),
    );

  const user = program.command('user').description('users of the directory');
  user
    .command('add <login>')
    .description('add a user')
    .requiredOption('--password <password>', 'initial password')
    .option('--context <id>', 'context id', '1')
    .option('--email <email>', 'e-mail address (calendar user address)')
    .option('--name <name>', 'display name')
    .action((login: string, opts: { password: string; context: string; email?: string; name?: string }) =>
      withChannel(async (channel) => {
        const created = await callAdmin(channel, UsersAdd, {
          login,
          password: opts.password,
          contextId: positiveInt(opts.context),
          email: opts.email,
          displayName: opts.name,
        });
        print(`user ${created.login} added with id ${created.userId} in context ${created.contextId}`);
      }),
    );
  user
    .command('passwd <login>')
    .description("set a user's password")
    .requiredOption('--password <password>', 'new password')
    .action((login: string, opts: { password: string }) =>
      withChannel(async (channel) => {
        await callAdmin(channel, UsersSetPassword, { login, password: opts.password });
        print(`password of ${login} changed`);
      }),
    );
  user
    .command('update <login>')
    .description("rename a user or change their e-mail (the global address list follows on every node)")
    .option('--name <name>', 'new display name')
    .option('--email <email>', 'new e-mail address')
    .action((login: string, opts: { name?: string; email?: string }) =>
      withChannel(async (channel) => {
        const updated = await callAdmin(channel, UsersUpdate, { login, displayName: opts.name, email: opts.email });
        print(`user ${updated.login} is now "${updated.displayName}" <${updated.email ?? '-'}>`);
      }),
    );
  user
    .command('disable <login>')
    .description('disable a user: every login of theirs fails at once on every node')
    .action((login: string) =>
      withChannel(async (channel) => {
        await callAdmin(channel, UsersSetEnabled, { login, enabled: false });
        print(`user ${login} disabled`);
      }),
    );
  user
    .command('enable <login>')
    .description('enable a disabled user')
    .action((login: string) =>
      withChannel(async (channel) => {
        await callAdmin(channel, UsersSetEnabled, { login, enabled: true });
        print(`user ${login} enabled`);
      }),
    );
  user
    .command('list')
    .description('list users')
    .option('--context <id>', 'only this context')
    .action((opts: { context?: string }) =>
      withChannel(async (channel) => {
        const users = await callAdmin(channel, UsersList, { contextId: opts.context ? positiveInt(opts.context) : undefined });
        for (const u of users) print(describeUser(u));
      }),
    );
}
