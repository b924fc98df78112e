import { type ServerResponse } from 'node:http';
import { carddav, dav, firstChild, type PropfindRequest, type XmlElement } from '@davmesh/dav';
import { type VCardVersion } from '@davmesh/vcard';
import { type AddressbookView, type CarddavScope } from '../carddav/carddav-scope';
import { MultistatusBody } from '../http/multistatus-body';
import { type PropertyContext } from '../properties/property';
import { type Resource } from '../resources/resource';

/** The DAV:prop of a REPORT body (allprop when absent) and the address-data version it asks for. */
export function reportProps(body: XmlElement): { propfind: PropfindRequest; addressDataVersion?: VCardVersion } {
  const prop = firstChild(body, dav('prop'));
  if (!prop) return { propfind: { kind: 'allprop', include: [] } };
  const addressData = firstChild(prop, carddav('address-data'));
  const version = addressData?.attributes['version'];
  return {
    propfind: { kind: 'prop', props: prop.children.map((c) => c.name) },
    addressDataVersion: version === '3.0' || version === '4.0' ? version : undefined,
  };
}

/** The property context of one object of a collection, as a REPORT answers it. */
export function objectContext(
  scope: CarddavScope,
  view: AddressbookView,
  contact: NonNullable<PropertyContext['contact']>,
  addressDataVersion: VCardVersion | undefined,
): PropertyContext {
  const resource: Resource = { kind: 'contact', path: `${view.href}${contact.name}`, segment: view.segment, name: contact.name };
  return { currentUser: scope.user, subjectUser: scope.user, resource, prefix: scope.prefix, config: scope.config, addressbook: view, contact, addressDataVersion };
}

/** Starts a 207 answer; see MultistatusBody. */
export function startMultistatus(response: ServerResponse): MultistatusBody {
  return new MultistatusBody(response);
}
