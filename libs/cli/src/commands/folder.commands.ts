import { type Command } from 'commander';
import {
  CalendarFoldersAdminShare,
  CalendarFoldersList,
  ContactFoldersAdminShare,
  ContactFoldersList,
  UsersFindByLogin,
  type User,
} from '@davmesh/contracts';
import { callAdmin, type AdminChannel } from '@davmesh/runtime';
import { UsageError } from './config.commands';

type WithChannel = <T>(work: (channel: AdminChannel) => Promise<T>) => Promise<void>;

/** Calendar and address-book folder ids are separate sequences: `--type` says which one an id belongs to. */
type FolderType = 'addressbook' | 'calendar';
const FOLDER_TYPES: readonly FolderType[] = ['addressbook', 'calendar'];

function folderIdOf(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`"${value}" is not a folder id`);
  return n;
}

function folderTypeOf(value: string): FolderType {
  if (!FOLDER_TYPES.includes(value as FolderType)) throw new UsageError(`--type is ${FOLDER_TYPES.join(' or ')}, not "${value}"`);
  return value as FolderType;
}

const TYPE_OPTION = ['--type <type>', 'addressbook or calendar: which kind of folder the id names', 'addressbook'] as const;

/** `folder share|unshare|list`: contact and calendar folders shared between users of one context, as the operator. */
export function registerFolderCommands(program: Command, withChannel: WithChannel, print: (line: string) => void): void {
  const folder = program.command('folder').description("users' address books and calendars and who they are shared with");

  const share = (type: FolderType, folderId: string, login: string, rights: 'read' | 'write' | 'none') =>
    withChannel(async (channel) => {
      const grantee = await callAdmin(channel, UsersFindByLogin, { login });
      const request = { contextId: grantee.contextId, folderId: folderIdOf(folderId), granteeUserId: grantee.userId, rights };
      const grant = await callAdmin(channel, type === 'calendar' ? CalendarFoldersAdminShare : ContactFoldersAdminShare, request);
      const what = type === 'calendar' ? `calendar ${grant.folderId}` : `folder ${grant.folderId}`;
      print(
        rights === 'none'
          ? `${what} of user ${grant.ownerUserId} no longer shared with ${login}`
          : `${what} of user ${grant.ownerUserId} shared with ${login} (${rights})`,
      );
    });

  folder
    .command('share <folderId>')
    .description("share a user's address book or calendar with another user of the same context, as its owner would")
    .requiredOption('--with <login>', 'the user who gets access')
    .option('--rights <rights>', 'read or write', 'read')
    .option(...TYPE_OPTION)
    .action((folderId: string, opts: { with: string; rights: string; type: string }) => {
      if (opts.rights !== 'read' && opts.rights !== 'write') throw new UsageError(`--rights is read or write, not "${opts.rights}"`);
      return share(folderTypeOf(opts.type), folderId, opts.with, opts.rights);
    });
  folder
    .command('unshare <folderId>')
    .description('take a share back')
    .requiredOption('--with <login>', 'the user who loses access')
    .option(...TYPE_OPTION)
    .action((folderId: string, opts: { with: string; type: string }) => share(folderTypeOf(opts.type), folderId, opts.with, 'none'));
  folder
    .command('list')
    .description('the folders a user sees: own, shared with them, the global address list; address books, then calendars')
    .requiredOption('--user <login>', 'user login')
    .option('--type <type>', 'only addressbook or only calendar folders')
    .action((opts: { user: string; type?: string }) =>
      withChannel(async (channel) => {
        const types = opts.type === undefined ? FOLDER_TYPES : [folderTypeOf(opts.type)];
        const user = await callAdmin(channel, UsersFindByLogin, { login: opts.user });
        const ownerOf = (ownerUserId: number | null) =>
          ownerUserId === null ? '-' : ownerUserId === user.userId ? 'own' : `shared by user ${ownerUserId}`;
        for (const line of await folderLines(channel, user, types, ownerOf)) print(line);
      }),
    );
}

/** One tab-separated line per folder: id, contacts|calendar, kind (components for a calendar), rights, owner, name. */
async function folderLines(
  channel: AdminChannel,
  user: User,
  types: readonly FolderType[],
  ownerOf: (ownerUserId: number | null) => string,
): Promise<string[]> {
  const lines: string[] = [];
  if (types.includes('addressbook')) {
    for (const f of await callAdmin(channel, ContactFoldersList, { userId: user.userId, contextId: user.contextId })) {
      lines.push(`${f.folderId}\tcontacts\t${f.kind}\t${f.rights}\t${ownerOf(f.ownerUserId)}\t${f.displayName}`);
    }
  }
  if (types.includes('calendar')) {
    for (const f of await callAdmin(channel, CalendarFoldersList, { userId: user.userId })) {
      lines.push(`${f.folderId}\tcalendar\t${f.components.join(',')}\t${f.rights}\t${ownerOf(f.ownerUserId)}\t${f.displayName}`);
    }
  }
  return lines;
}
