import { carddav, dav, firstChild, type XmlElement } from '@davmesh/dav';
import { type VCardVersion } from '@davmesh/vcard';
import { reportPropfind } from '../reports/report-request';
import { type MemberProps } from '../resources/adapters';

export interface AddressbookMemberProps extends MemberProps {
  /** The vCard version CARDDAV:address-data asks for, if it names one we write. */
  addressDataVersion?: VCardVersion;
}

/** The DAV:prop of a CardDAV REPORT (allprop when absent) and the address-data version it asks for. */
export function addressbookReportProps(body: XmlElement): AddressbookMemberProps {
  const propfind = reportPropfind(body);
  const version = firstChild(firstChild(body, dav('prop')) ?? body, carddav('address-data'))?.attributes['version'];
  return {
    propfind,
    wantsData: propfind.kind === 'prop' && propfind.props.some((p) => p.local === 'address-data'),
    addressDataVersion: version === '3.0' || version === '4.0' ? version : undefined,
  };
}
