import { Command } from 'commander';
import { DomainException } from '@davmesh/contracts';
import { serve, type AdminChannel } from '@davmesh/runtime';
import { openAdminChannel } from './admin-connection';
import { registerConfigCommands, UsageError } from './commands/config.commands';
import { registerDirectoryCommands } from './commands/directory.commands';
import { registerDnsCommand } from './commands/dns.commands';
import { registerFolderCommands } from './commands/folder.commands';
import { registerHealthCommand } from './commands/health.commands';
import { ExitStatus, registerImipCommands } from './commands/imip.commands';
import { registerMigrateCommand } from './commands/migrate.commands';

export type Print = (line: string) => void;

const printToStdout: Print = (line) => process.stdout.write(`${line}\n`);

/** `input` is what a command reads as its standard input (`imip receive`'s message). */
export function buildCli(env: NodeJS.ProcessEnv = process.env, print: Print = printToStdout, input: NodeJS.ReadableStream = process.stdin): Command {
  const program = new Command('davmesh').description('CalDAV/CardDAV server for groupware operators');
  program.exitOverride();

  program
    .command('serve')
    .description('run the server (all roles in one process unless NATS_URL is set)')
    .option('--role <role>', 'all, edge, calendar, contacts or config', 'all')
    .action(async (opts: { role: string }) => {
      await serve(opts.role, env);
    });

  const channelTo =
    (withFolderServices: boolean) =>
    async <T>(work: (channel: AdminChannel) => Promise<T>): Promise<void> => {
      const channel = await openAdminChannel(env, withFolderServices);
      try {
        await work(channel);
      } finally {
        await channel.close();
      }
    };
  const withChannel = channelTo(false);
  registerDirectoryCommands(program, withChannel, print);
  registerConfigCommands(program, withChannel, print);
  registerFolderCommands(program, channelTo(true), print);
  registerImipCommands(program, channelTo(true), print, input);
  registerHealthCommand(program, env, print);
  registerDnsCommand(program, print);
  registerMigrateCommand(program, env, print);
  return program;
}

/** Runs one command line; returns the exit code for one-shot commands. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  print: Print = printToStdout,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  try {
    await buildCli(env, print, input).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.help' || code === 'commander.version') return 0;
    if (typeof code === 'string' && code.startsWith('commander.')) return 2;
    if (error instanceof ExitStatus) {
      process.stderr.write(`davmesh: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`davmesh: ${error.message}\n`);
      return 2;
    }
    if (error instanceof DomainException) process.stderr.write(`davmesh: ${error.code}: ${error.message}\n`);
    else process.stderr.write(`davmesh: ${(error as Error).message}\n`);
    return 1;
  }
}
