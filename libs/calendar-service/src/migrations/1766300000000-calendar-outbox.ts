import { OUTBOX_TABLE, serviceTablesMigration } from '@davmesh/storage';
import { CALENDAR_SCHEMA } from '../schema';

/** The events of a write, stored in its transaction and published after it (see Outbox). */
export const CalendarOutbox1766300000000 = serviceTablesMigration('CalendarOutbox1766300000000', CALENDAR_SCHEMA, [OUTBOX_TABLE]);
