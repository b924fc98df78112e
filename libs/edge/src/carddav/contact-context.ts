import { type VCardVersion } from '@davmesh/vcard';
import { type PropertyContext } from '../properties/property';
import { contextIn } from '../resources/dav-scope';
import { type Resource } from '../resources/resource';
import { type AddressbookView, type CarddavScope } from './carddav-scope';

/** The property context of one contact of an address book, as a REPORT answers it. */
export function objectContext(
  scope: CarddavScope,
  view: AddressbookView,
  contact: NonNullable<PropertyContext['contact']>,
  addressDataVersion: VCardVersion | undefined,
): PropertyContext {
  const resource: Resource = { kind: 'contact', path: `${view.href}${contact.name}`, segment: view.segment, name: contact.name };
  return { ...contextIn(scope, resource), addressbook: view, contact, addressDataVersion };
}
