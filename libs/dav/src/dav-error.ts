import { dav, type QName } from './names';
import { el, renderDocument } from './xml-writer';

/** RFC 4918 16: a `DAV:error` body naming the precondition or postcondition that failed. */
export function renderDavError(condition: QName, description?: string): string {
  const children = [el(condition)];
  if (description) children.push(el({ ns: 'http://davmesh.org/ns/', local: 'description' }, description));
  return renderDocument(el(dav('error'), children));
}
