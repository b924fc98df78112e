import { ContextsAdd, ContextsList, UsersAdd, UsersList } from '@davmesh/contracts';
import { callAdmin, type AdminChannel } from './admin-channel';

export const DEMO_LOGIN = 'demo';
export const DEMO_PASSWORD = 'demo';

/** On an empty directory: context 1 and the demo user. Returns whether it created them. */
export async function seedDemoDirectory(channel: AdminChannel): Promise<boolean> {
  const contexts = await callAdmin(channel, ContextsList, {});
  const users = await callAdmin(channel, UsersList, {});
  if (contexts.length > 0 || users.length > 0) return false;
  await callAdmin(channel, ContextsAdd, { contextId: 1, name: 'default' });
  await callAdmin(channel, UsersAdd, { login: DEMO_LOGIN, password: DEMO_PASSWORD, contextId: 1, displayName: 'Demo User' });
  return true;
}
