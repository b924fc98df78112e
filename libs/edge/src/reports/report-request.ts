import { type ServerResponse } from 'node:http';
import { carddav, dav, firstChild, type PropfindRequest, type XmlElement } from '@davmesh/dav';
import { type VCardVersion } from '@davmesh/vcard';
import { MultistatusBody } from '../http/multistatus-body';

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

/** Starts a 207 answer; see MultistatusBody. */
export function startMultistatus(response: ServerResponse): MultistatusBody {
  return new MultistatusBody(response);
}
