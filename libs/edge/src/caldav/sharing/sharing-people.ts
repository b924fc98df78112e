import { type BusClient } from '@davmesh/bus';
import { type User } from '@davmesh/contracts';
import { calserver, sameName, type PropfindRequest } from '@davmesh/dav';
import { visiblePrincipalUser } from '../../principals/principal-user';
import { type CalendarView } from '../caldav-scope';

/** Whether a PROPFIND asks for CS:invite (never in allprop unless included). */
export function asksForInvite(propfind: PropfindRequest): boolean {
  const invite = calserver('invite');
  if (propfind.kind === 'prop') return propfind.props.some((name) => sameName(name, invite));
  return propfind.kind === 'allprop' && propfind.include.some((name) => sameName(name, invite));
}

/**
 * The users CS:invite names on these calendars, as the directory shows them to `viewer` (their
 * context only): the sharees of the viewer's own shared calendars, the owners of those shared with
 * them. Asked once each, at the same time.
 */
export async function sharingPeople(bus: BusClient, viewer: User, calendars: readonly CalendarView[]): Promise<ReadonlyMap<number, User>> {
  const ids = new Set<number>();
  for (const { folder } of calendars) {
    if (!folder.sharees?.length) continue;
    if (folder.ownerUserId === viewer.userId) for (const sharee of folder.sharees) ids.add(sharee.userId);
    else ids.add(folder.ownerUserId);
  }
  const people = new Map<number, User>([[viewer.userId, viewer]]);
  await Promise.all(
    [...ids].map(async (userId) => {
      const user = await visiblePrincipalUser(bus, viewer, userId);
      if (user) people.set(userId, user);
    }),
  );
  return people;
}
