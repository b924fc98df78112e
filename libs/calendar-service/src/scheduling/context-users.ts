import { type BusClient } from '@davmesh/bus';
import { DomainException, UsersFindByEmail, UsersGet, type FreeBusyRecipient, type User } from '@davmesh/contracts';

/**
 * Per calendar user address, the user of the context it names, or undefined: a `mailto:` address no
 * user of the context has, a user of another context or one the directory does not know. Asks the
 * directory: never inside a transaction (in embedded mode it shares the database).
 */
export async function contextUsers(bus: BusClient, contextId: number, addresses: FreeBusyRecipient[]): Promise<(User | undefined)[]> {
  const emails = [...new Set(addresses.flatMap((r) => ('email' in r ? [r.email.toLowerCase()] : [])))];
  const byEmail = new Map<string, User>();
  if (emails.length > 0) {
    for (const user of await bus.call(UsersFindByEmail, { contextId, emails })) {
      const email = user.email!.toLowerCase();
      if (!byEmail.has(email)) byEmail.set(email, user);
    }
  }
  const byId = new Map<number, User | undefined>();
  await Promise.all(
    [...new Set(addresses.flatMap((r) => ('userId' in r ? [r.userId] : [])))].map(async (id) => {
      const user = await directoryUser(bus, id);
      byId.set(id, user?.contextId === contextId ? user : undefined);
    }),
  );
  return addresses.map((r) => ('email' in r ? byEmail.get(r.email.toLowerCase()) : byId.get(r.userId)));
}

/** The user of that id, undefined when the directory knows none. */
export async function directoryUser(bus: BusClient, userId: number): Promise<User | undefined> {
  const reply = await bus.request(UsersGet, { userId });
  if (!reply.ok && reply.error.code !== 'not-found') throw new DomainException(reply.error.code, reply.error.message);
  return reply.ok ? reply.data : undefined;
}
