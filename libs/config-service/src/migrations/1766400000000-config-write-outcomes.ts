import { serviceTablesMigration, WRITE_OUTCOMES_TABLE } from '@davmesh/storage';
import { CONFIG_SCHEMA } from '../schema';

/** What each keyed write answered, for a caller that asks again (see WriteOutcomes). */
export const ConfigWriteOutcomes1766400000000 = serviceTablesMigration('ConfigWriteOutcomes1766400000000', CONFIG_SCHEMA, [WRITE_OUTCOMES_TABLE]);
