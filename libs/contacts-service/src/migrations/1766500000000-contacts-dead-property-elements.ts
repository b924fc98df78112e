import { deadPropertyElementsMigration } from '@davmesh/storage';
import { CONTACTS_SCHEMA } from '../schema';

/** Dead property values become the whole element as written (prefix, xml:lang, mixed content). */
export const ContactsDeadPropertyElements1766500000000 = deadPropertyElementsMigration('ContactsDeadPropertyElements1766500000000', CONTACTS_SCHEMA);
