import { deadPropertyElementsMigration } from '@davmesh/storage';
import { CALENDAR_SCHEMA } from '../schema';

/** Dead property values become the whole element as written (prefix, xml:lang, mixed content). */
export const CalendarDeadPropertyElements1766500000000 = deadPropertyElementsMigration('CalendarDeadPropertyElements1766500000000', CALENDAR_SCHEMA);
