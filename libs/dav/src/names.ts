/** A namespaced XML name; compared by namespace URI and local name, never by prefix. */
export interface QName {
  ns: string;
  local: string;
}

export const NS = {
  DAV: 'DAV:',
  CALDAV: 'urn:ietf:params:xml:ns:caldav',
  CARDDAV: 'urn:ietf:params:xml:ns:carddav',
  CALSERVER: 'http://calendarserver.org/ns/',
  APPLE: 'http://apple.com/ns/ical/',
  /** davmesh's own conditions and properties, where no RFC names one. */
  DAVMESH: 'http://davmesh.org/ns/',
} as const;

/** Prefixes used when rendering; any other namespace gets a generated one. */
export const PREFERRED_PREFIXES: Record<string, string> = {
  [NS.DAV]: 'd',
  [NS.CALDAV]: 'cal',
  [NS.CARDDAV]: 'card',
  [NS.CALSERVER]: 'cs',
  [NS.APPLE]: 'ical',
  [NS.DAVMESH]: 'dm',
};

export const dav = (local: string): QName => ({ ns: NS.DAV, local });
export const caldav = (local: string): QName => ({ ns: NS.CALDAV, local });
export const carddav = (local: string): QName => ({ ns: NS.CARDDAV, local });
export const calserver = (local: string): QName => ({ ns: NS.CALSERVER, local });
export const davmesh = (local: string): QName => ({ ns: NS.DAVMESH, local });

export function qnameKey(name: QName): string {
  return `{${name.ns}}${name.local}`;
}

export function sameName(a: QName, b: QName): boolean {
  return a.ns === b.ns && a.local === b.local;
}
