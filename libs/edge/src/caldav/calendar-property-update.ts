import { type CalendarComponent, type CalendarFolderUpdate, type DeadProperty } from '@davmesh/contracts';
import { caldav, childrenNamed, dav, innerXml, NS, qnameKey, sameName, type QName, type XmlElement } from '@davmesh/dav';
import { type PropertyRegistry } from '../properties/property-registry';

type FolderProps = NonNullable<CalendarFolderUpdate['props']>;

/** What a PROPPATCH or MKCALENDAR body asks of a calendar, decided before anything is stored. */
export interface CalendarPropertyUpdate {
  props: FolderProps;
  components?: CalendarComponent[];
  setDead: DeadProperty[];
  removeDead: { ns: string; name: string }[];
  /** Properties that can be set. */
  accepted: QName[];
  /** Properties refused, with the propstat status (403 protected, 409 a value we cannot take, 507 a dead value over davmesh.limits.deadPropertyBytes). */
  refused: { name: QName; status: number }[];
}

const COMPONENTS = new Set<string>(['VEVENT', 'VTODO', 'VJOURNAL']);
const apple = (local: string): QName => ({ ns: NS.APPLE, local });

/** The writable live properties of a calendar and how each sets the folder (undefined: a value we cannot take). */
const WRITABLE: Record<string, (value: string | undefined) => FolderProps | undefined> = {
  [qnameKey(dav('displayname'))]: (value) => (value === undefined || value.trim() === '' ? undefined : { displayName: value }),
  [qnameKey(caldav('calendar-description'))]: (value) => ({ description: value ?? null }),
  [qnameKey(caldav('calendar-timezone'))]: (value) => ({ timezone: value ?? null }),
  [qnameKey(apple('calendar-color'))]: (value) => (value === undefined ? { color: null } : value.trim().length <= 32 ? { color: value.trim() } : undefined),
  [qnameKey(apple('calendar-order'))]: (value) => {
    if (value === undefined) return { order: null };
    return /^-?\d{1,9}$/.test(value.trim()) ? { order: Number(value.trim()) } : undefined;
  },
};

/**
 * Reads DAV:set / DAV:remove instructions (PROPPATCH's DAV:propertyupdate, MKCALENDAR's
 * DAV:set) into one folder change. Unknown properties are dead and stored as given, up to
 * `deadPropertyBytes` of serialized XML each; MKCALENDAR may also choose the
 * supported-calendar-component-set.
 */
export function readCalendarPropertyUpdate(instructions: XmlElement[], registry: PropertyRegistry, creating: boolean, deadPropertyBytes: number): CalendarPropertyUpdate {
  const update: CalendarPropertyUpdate = { props: {}, setDead: [], removeDead: [], accepted: [], refused: [] };
  for (const instruction of instructions) {
    const remove = sameName(instruction.name, dav('remove'));
    if (!remove && !sameName(instruction.name, dav('set'))) continue;
    for (const prop of childrenNamed(instruction, dav('prop')).flatMap((p) => p.children)) {
      const name = prop.name;
      const writable = WRITABLE[qnameKey(name)];
      if (writable) {
        const change = writable(remove ? undefined : prop.text);
        if (change) {
          Object.assign(update.props, change);
          update.accepted.push(name);
        } else update.refused.push({ name, status: 409 });
      } else if (creating && !remove && sameName(name, caldav('supported-calendar-component-set'))) {
        const components = childrenNamed(prop, caldav('comp')).map((c) => (c.attributes['name'] ?? '').toUpperCase());
        if (components.length === 0 || components.some((c) => !COMPONENTS.has(c))) update.refused.push({ name, status: 403 });
        else {
          update.components = [...new Set(components)] as CalendarComponent[];
          update.accepted.push(name);
        }
      } else if (creating && !remove && sameName(name, dav('resourcetype'))) {
        if (childrenNamed(prop, caldav('calendar')).length === 0) update.refused.push({ name, status: 403 });
        else update.accepted.push(name);
      } else if (registry.isLive(name) || name.ns === NS.DAV || name.ns === NS.CALDAV) {
        // A live property, or a name in a namespace the specifications own: never stored as dead.
        update.refused.push({ name, status: 403 });
      } else if (remove) {
        update.removeDead.push({ ns: name.ns, name: name.local });
        update.accepted.push(name);
      } else {
        const xml = innerXml(prop);
        // RFC 4918 9.2.1: 507 (Insufficient Storage) for a value the server will not hold.
        if (Buffer.byteLength(xml) > deadPropertyBytes) update.refused.push({ name, status: 507 });
        else {
          update.setDead.push({ ns: name.ns, name: name.local, xml });
          update.accepted.push(name);
        }
      }
    }
  }
  return update;
}
