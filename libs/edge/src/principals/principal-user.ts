import { type BusClient } from '@davmesh/bus';
import { UsersGet, type User } from '@davmesh/contracts';
import { DavHttpError } from '../http/dav-exchange';
import { STATUS_FOR_ERROR } from '../http/error-status';

/**
 * The user a principal stands for, as `viewer` may see them: the directory lists the users
 * of the viewer's context; one of another context, like an unknown id, does not exist for them.
 */
export async function visiblePrincipalUser(bus: BusClient, viewer: User, userId: number): Promise<User | undefined> {
  if (userId === viewer.userId) return viewer;
  const reply = await bus.request(UsersGet, { userId });
  if (!reply.ok) {
    if (reply.error.code === 'not-found') return undefined;
    throw new DavHttpError(STATUS_FOR_ERROR[reply.error.code], reply.error.message);
  }
  return reply.data.contextId === viewer.contextId ? reply.data : undefined;
}
