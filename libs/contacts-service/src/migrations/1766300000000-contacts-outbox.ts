import { OUTBOX_TABLE, serviceTablesMigration } from '@davmesh/storage';
import { CONTACTS_SCHEMA } from '../schema';

/** The events of a write, stored in its transaction and published after it (see Outbox). */
export const ContactsOutbox1766300000000 = serviceTablesMigration('ContactsOutbox1766300000000', CONTACTS_SCHEMA, [OUTBOX_TABLE]);
