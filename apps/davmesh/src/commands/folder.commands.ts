import { type Command } from 'commander';
import { ContactFoldersAdminShare, ContactFoldersList, UsersFindByLogin } from '@davmesh/contracts';
import { callAdmin, type AdminChannel } from '@davmesh/runtime';
import { UsageError } from './config.commands';

type WithChannel = <T>(work: (channel: AdminChannel) => Promise<T>) => Promise<void>;

function folderIdOf(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`"${value}" is not a folder id`);
  return n;
}

/** `folder share|unshare|list`: contact folders shared between users of one context, as the operator. */
export function registerFolderCommands(program: Command, withChannel: WithChannel, print: (line: string) => void): void {
  const folder = program.command('folder').description("users' contact folders and who they are shared with");

  const share = (folderId: string, login: string, rights: 'read' | 'write' | 'none') =>
    withChannel(async (channel) => {
      const grantee = await callAdmin(channel, UsersFindByLogin, { login });
      const grant = await callAdmin(channel, ContactFoldersAdminShare, {
        contextId: grantee.contextId,
        folderId: folderIdOf(folderId),
        granteeUserId: grantee.userId,
        rights,
      });
      print(
        rights === 'none'
          ? `folder ${grant.folderId} of user ${grant.ownerUserId} no longer shared with ${login}`
          : `folder ${grant.folderId} of user ${grant.ownerUserId} shared with ${login} (${rights})`,
      );
    });

  folder
    .command('share <folderId>')
    .description("share a user's folder with another user of the same context, as its owner would")
    .requiredOption('--with <login>', 'the user who gets access')
    .option('--rights <rights>', 'read or write', 'read')
    .action((folderId: string, opts: { with: string; rights: string }) => {
      if (opts.rights !== 'read' && opts.rights !== 'write') throw new UsageError(`--rights is read or write, not "${opts.rights}"`);
      return share(folderId, opts.with, opts.rights);
    });
  folder
    .command('unshare <folderId>')
    .description('take a share back')
    .requiredOption('--with <login>', 'the user who loses access')
    .action((folderId: string, opts: { with: string }) => share(folderId, opts.with, 'none'));
  folder
    .command('list')
    .description('the contact folders a user sees: own, shared with them, the global address list')
    .requiredOption('--user <login>', 'user login')
    .action((opts: { user: string }) =>
      withChannel(async (channel) => {
        const user = await callAdmin(channel, UsersFindByLogin, { login: opts.user });
        for (const f of await callAdmin(channel, ContactFoldersList, { userId: user.userId, contextId: user.contextId })) {
          const owner = f.ownerUserId === null ? '-' : f.ownerUserId === user.userId ? 'own' : `shared by user ${f.ownerUserId}`;
          print(`${f.folderId}\tcontacts\t${f.kind}\t${f.rights}\t${owner}\t${f.displayName}`);
        }
      }),
    );
}
