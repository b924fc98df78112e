import { davClient } from './dav-client';

export const APPLE_CONTACTS_UA = 'macOS/14.5 (23F79) AddressBookCore/2487.600.101';
export const DAVX5_UA = 'DAVx5/4.4.2-ose (2024/06/18; dav4jvm; okhttp/4.12.0) Android/14';
/** macOS Contacts as it introduces itself to a CardDAV server. */
export const APPLE_ADDRESSBOOK_UA = 'macOS/14.5 (23F79) AddressBook/2487.600.111';
export const DAVX5_441_UA = 'DAVx5/4.4.1-ose (2024/06/01; dav4jvm; okhttp/4.12.0) Android/14';

/** A real CardDAV client (tsdav) that logs in with Basic auth and presents a user agent. */
export function carddavClient(serverUrl: string, login: string, password: string, userAgent: string, fetch?: typeof globalThis.fetch) {
  return davClient(serverUrl, login, password, userAgent, 'carddav', fetch);
}

export function vcard(uid: string, fn: string, extra: string[] = [], version: '3.0' | '4.0' = '3.0'): string {
  return ['BEGIN:VCARD', `VERSION:${version}`, `UID:${uid}`, `FN:${fn}`, `N:${fn};;;;`, ...extra, 'END:VCARD', ''].join('\r\n');
}
