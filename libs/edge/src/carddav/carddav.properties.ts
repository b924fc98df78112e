import { carddav, dav, el, firstChild } from '@davmesh/dav';
import { convertVCard } from '@davmesh/vcard';
import { MAX_VCARD_BYTES } from './vcard-media';
import { type LiveProperty } from '../properties/property';

const COLLECTIONS = ['addressbook', 'aggregated-addressbook'] as const;
const CARDDAV_COLLECTIONS = ['addressbook-home', ...COLLECTIONS] as const;

/** RFC 6352, RFC 6578 and the calendarserver ctag on address books and their objects. */
export const CARDDAV_PROPERTIES: LiveProperty[] = [
  {
    name: dav('resourcetype'),
    kinds: [...CARDDAV_COLLECTIONS, 'contact'],
    inAllprop: true,
    initial: (value) => (value && firstChild(value, carddav('addressbook')) ? { change: {} } : { refused: 403 }),
    compute: ({ resource }) => {
      if (resource.kind === 'contact') return [];
      if (resource.kind === 'addressbook-home') return [el(dav('collection'))];
      return [el(dav('collection')), el(carddav('addressbook'))];
    },
  },
  {
    name: dav('displayname'),
    kinds: CARDDAV_COLLECTIONS,
    inAllprop: true,
    set: (value) => (value === undefined || value.text.trim() === '' ? { refused: 403 } : { change: { displayName: value.text } }),
    compute: ({ addressbook, currentUser }) => addressbook?.displayName ?? currentUser.displayName,
  },
  {
    name: carddav('addressbook-description'),
    kinds: COLLECTIONS,
    inAllprop: false,
    set: (value) => ({ change: { description: value?.text ?? null } }),
    compute: ({ addressbook }) => addressbook?.description ?? undefined,
  },
  {
    name: carddav('supported-address-data'),
    kinds: COLLECTIONS,
    inAllprop: false,
    compute: () =>
      ['3.0', '4.0'].map((version) => el(carddav('address-data-type'), undefined, { 'content-type': 'text/vcard', version })),
  },
  {
    name: carddav('max-resource-size'),
    kinds: COLLECTIONS,
    inAllprop: false,
    compute: () => String(MAX_VCARD_BYTES),
  },
  {
    name: dav('getcontenttype'),
    kinds: ['contact'],
    inAllprop: true,
    compute: () => 'text/vcard; charset=utf-8',
  },
  {
    name: dav('getcontentlength'),
    kinds: ['contact'],
    inAllprop: true,
    compute: ({ contact }) => (contact?.vcard === undefined ? undefined : String(Buffer.byteLength(contact.vcard))),
  },
  {
    name: carddav('address-data'),
    kinds: ['contact'],
    inAllprop: false,
    compute: ({ contact, addressDataVersion }) => {
      if (contact?.vcard === undefined) return undefined;
      return addressDataVersion ? convertVCard(contact.vcard, addressDataVersion) : contact.vcard;
    },
  },
];
