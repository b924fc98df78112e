import { type BusClient } from '@davmesh/bus';
import {
  CalendarFoldersList,
  CalendarInboxOpen,
  CalendarObjectsGet,
  CalendarObjectsList,
  CalendarObjectsPut,
  ImipOutgoingList,
  type CalendarObject,
  type CalendarObjectPut,
  type ImipMessageStatus,
} from '@davmesh/contracts';

/** A user's object as the calendar service holds it, with the folder it is in. */
export type PlacedObject = CalendarObject & { folderId: number };

/**
 * What scheduling specs read and write through the calendar service's bus API, as the edge does
 * for a user's client: their default event calendar, their objects of a UID across their own
 * calendars, their schedule inbox, a PUT; and the outgoing iMIP queue.
 */
export function calendarBusView(bus: BusClient) {
  const calendarOf = async (userId: number) => (await bus.call(CalendarFoldersList, { userId })).find((f) => f.components.includes('VEVENT') && f.ownerUserId === userId)!;
  const objectsIn = async (userId: number, folderId: number): Promise<CalendarObject[]> => {
    const names = (await bus.call(CalendarObjectsList, { userId, folderId, limit: 1000 })).objects.map((o) => o.name);
    return names.length === 0 ? [] : (await bus.call(CalendarObjectsGet, { userId, folderId, names })).objects;
  };
  /** The user's objects of this UID, across the calendars they own. */
  const copiesOf = async (userId: number, uid: string): Promise<PlacedObject[]> => {
    const found: PlacedObject[] = [];
    for (const folder of (await bus.call(CalendarFoldersList, { userId })).filter((f) => f.ownerUserId === userId)) {
      found.push(...(await objectsIn(userId, folder.folderId)).filter((o) => o.uid === uid).map((o) => ({ ...o, folderId: folder.folderId })));
    }
    return found;
  };
  /** The user's one object of this UID; throws when they have none or several. */
  const copyOf = async (userId: number, uid: string): Promise<PlacedObject> => {
    const copies = await copiesOf(userId, uid);
    if (copies.length !== 1) throw new Error(`user ${userId} has ${copies.length} objects of UID ${uid}`);
    return copies[0];
  };
  /** The iTIP messages about this UID in the user's schedule inbox. */
  const inboxOf = async (userId: number, uid: string): Promise<string[]> => {
    const { inbox } = await bus.call(CalendarInboxOpen, { userId });
    return (await objectsIn(userId, inbox.folderId)).filter((o) => o.ical.includes(`UID:${uid}\r\n`)).map((o) => o.ical);
  };
  /** A PUT into the user's default event calendar, refused replies thrown. */
  const put = async (userId: number, name: string, ical: string, extra: Partial<CalendarObjectPut> = {}) => {
    const folderId = (await calendarOf(userId)).folderId;
    return { folderId, ...(await bus.call(CalendarObjectsPut, { userId, folderId, name, ical, ...extra })) };
  };
  /** The outgoing iMIP messages to this e-mail address, oldest first. */
  const queued = async (to: string): Promise<ImipMessageStatus[]> => (await bus.call(ImipOutgoingList, { limit: 500 })).messages.filter((m) => m.to === to);
  return { calendarOf, copiesOf, copyOf, inboxOf, put, queued };
}
