import { type Command } from 'commander';
import { migrateDatabase } from '@davmesh/runtime';
import { UsageError } from './config.commands';

/**
 * `davmesh migrate`: brings every service's schema in DATABASE_URL to the newest migration this
 * build ships, then exits: the step before roles started with DAVMESH_MIGRATIONS=wait (the chart's
 * pre-install/pre-upgrade Job). Errors end it with one line and exit 1.
 */
export function registerMigrateCommand(program: Command, env: NodeJS.ProcessEnv, print: (line: string) => void): void {
  program
    .command('migrate')
    .description("apply every service's migrations to DATABASE_URL and exit")
    .action(async () => {
      const databaseUrl = env.DATABASE_URL?.trim();
      if (!databaseUrl) throw new UsageError('migrate needs DATABASE_URL (the PostgreSQL the services use)');
      for (const { schema, latest } of await migrateDatabase(databaseUrl)) print(`schema ${schema} is at ${latest}`);
    });
}
