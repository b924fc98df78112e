export const CONTACTS_SCHEMA = 'contacts';
