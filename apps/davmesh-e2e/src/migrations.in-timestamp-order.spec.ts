import { CALENDAR_SERVICE_SCHEMA } from '@davmesh/calendar-service';
import { CONFIG_SERVICE_SCHEMA } from '@davmesh/config-service';
import { CONTACTS_SERVICE_SCHEMA } from '@davmesh/contacts-service';

/**
 * A service's health reports the last migration of its list as its schema version, and a store
 * upgraded from an older release runs the missing ones in list order: the list must be in the
 * order of the timestamps in the names, whatever order branches landed in.
 */
describe('each service lists its migrations in timestamp order', () => {
  it.each([
    ['config', CONFIG_SERVICE_SCHEMA],
    ['calendar', CALENDAR_SERVICE_SCHEMA],
    ['contacts', CONTACTS_SERVICE_SCHEMA],
  ])('%s', (_, schema) => {
    const stamps = (schema.migrations as (new () => { name?: string })[]).map((migration) => Number(/(\d{13})$/.exec(new migration().name ?? '')?.[1]));
    expect(stamps.every((stamp) => Number.isFinite(stamp))).toBe(true);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  });
});
