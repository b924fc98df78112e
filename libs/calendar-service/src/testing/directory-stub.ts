import { type InProcessBroker } from '@davmesh/bus';
import { UsersFindByEmail, UsersGet, type Reply, type User } from '@davmesh/contracts';

/** A user of the stub directory; the login is the address's local part. */
export function directoryUser(userId: number, contextId: number, email: string, enabled = true): User {
  return { userId, contextId, login: email.split('@')[0], displayName: email, email, enabled, version: 1 };
}

/** Answers the directory subjects the calendar service asks (users.get, users.find-by-email), as the config service would. */
export function serveDirectory(broker: InProcessBroker, directory: readonly User[]): void {
  const answer = (subject: string, reply: (data: never) => Reply<unknown>) =>
    broker.subscribe(subject, 'config', (raw, respond) => {
      const { id, data } = JSON.parse(raw) as { id: string; data: never };
      respond?.(JSON.stringify({ id, response: reply(data), isDisposed: true }));
    });
  answer(UsersGet.subject, ({ userId }: { userId: number }) => {
    const found = directory.find((u) => u.userId === userId);
    return found ? { ok: true, data: found } : { ok: false, error: { code: 'not-found', message: `no user ${userId}` } };
  });
  answer(UsersFindByEmail.subject, ({ contextId, emails }: { contextId: number; emails: string[] }) => ({
    ok: true,
    data: directory.filter((u) => u.contextId === contextId && u.email !== null && emails.includes(u.email.toLowerCase())),
  }));
}
