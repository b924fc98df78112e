import { type EventContract, type RequestContract } from './contract';
import * as caches from './caches.contract';
import * as calendar from './calendar.contract';
import * as config from './config.contract';
import * as contacts from './contacts.contract';
import * as directory from './directory.contract';
import * as health from './health.contract';
import * as scheduling from './scheduling.contract';
import * as sharing from './sharing.contract';
import * as imip from './imip.contract';

function collect(...modules: Record<string, unknown>[]) {
  const requests: RequestContract<unknown, unknown>[] = [];
  const events: EventContract<unknown>[] = [];
  for (const value of modules.flatMap((m) => Object.values(m))) {
    if (typeof value !== 'object' || value === null || !('kind' in value)) continue;
    if (value.kind === 'request') requests.push(value as RequestContract<unknown, unknown>);
    if (value.kind === 'event') events.push(value as EventContract<unknown>);
  }
  return { requests, events };
}

/** Every subject of the public bus API, for documentation, admin allow-lists and tests. */
export const ALL_CONTRACTS = collect(directory, config, caches, calendar, scheduling, sharing, contacts, health, imip);

/**
 * Subjects an operator's CLI may call through the embedded server's control socket: the config
 * service's (not the caches' roll-call and invalidation, which every caching node answers), and
 * the contacts and calendar subjects the `folder` commands need — the operator's share
 * (which acts as the folder's owner) and a user's folder list — and those of `imip`: a reply
 * from the MTA pipe (`imip receive`) and the outgoing queue's states (`imip queue`). No other
 * contacts or calendar subject: the CLI administers, it does not read or write users' data.
 */
export const ADMIN_SUBJECTS: ReadonlySet<string> = new Set([
  ...ALL_CONTRACTS.requests.filter((c) => c.service === 'config' && !(Object.values(caches) as unknown[]).includes(c)).map((c) => c.subject),
  contacts.ContactFoldersAdminShare.subject,
  contacts.ContactFoldersList.subject,
  calendar.CalendarFoldersAdminShare.subject,
  calendar.CalendarFoldersList.subject,
  imip.ImipReceive.subject,
  imip.ImipOutgoingList.subject,
]);
