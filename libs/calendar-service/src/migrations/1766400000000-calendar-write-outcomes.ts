import { serviceTablesMigration, WRITE_OUTCOMES_TABLE } from '@davmesh/storage';
import { CALENDAR_SCHEMA } from '../schema';

/** What each keyed write answered, for a caller that asks again (see WriteOutcomes). */
export const CalendarWriteOutcomes1766400000000 = serviceTablesMigration('CalendarWriteOutcomes1766400000000', CALENDAR_SCHEMA, [WRITE_OUTCOMES_TABLE]);
