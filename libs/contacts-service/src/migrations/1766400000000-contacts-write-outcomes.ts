import { serviceTablesMigration, WRITE_OUTCOMES_TABLE } from '@davmesh/storage';
import { CONTACTS_SCHEMA } from '../schema';

/** What each keyed write answered, for a caller that asks again (see WriteOutcomes). */
export const ContactsWriteOutcomes1766400000000 = serviceTablesMigration('ContactsWriteOutcomes1766400000000', CONTACTS_SCHEMA, [WRITE_OUTCOMES_TABLE]);
