import { dav, el, type XmlNode } from '@davmesh/dav';

/** DAV:current-user-privilege-set of a collection or object: read, and write when the user may write. */
export function privileges(writable: boolean, extra: XmlNode[] = []): XmlNode[] {
  const names = ['read', 'read-current-user-privilege-set', ...(writable ? ['write', 'write-content', 'write-properties', 'bind', 'unbind'] : [])];
  return [...names.map((name) => el(dav('privilege'), [el(dav(name))])), ...extra.map((node) => el(dav('privilege'), [node]))];
}
