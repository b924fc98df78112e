import { dav, sameName, type QName } from './names';
import { DEFAULT_XML_LIMITS, firstChild, parseXml, XmlParseError, type XmlElement, type XmlLimits } from './xml-parse';

export type PropfindRequest =
  | { kind: 'prop'; props: QName[] }
  | { kind: 'allprop'; include: QName[] }
  | { kind: 'propname' };

/** RFC 4918 9.1: an empty body means allprop. */
export async function parsePropfind(body: string, limits: XmlLimits = DEFAULT_XML_LIMITS): Promise<PropfindRequest> {
  if (body.trim() === '') return { kind: 'allprop', include: [] };
  const root = await parseXml(body, limits);
  if (!sameName(root.name, dav('propfind'))) throw new XmlParseError('the root element must be DAV:propfind');
  if (firstChild(root, dav('propname'))) return { kind: 'propname' };
  if (firstChild(root, dav('allprop'))) {
    const include = firstChild(root, dav('include'));
    return { kind: 'allprop', include: include ? names(include) : [] };
  }
  const prop = firstChild(root, dav('prop'));
  if (!prop) throw new XmlParseError('DAV:propfind needs DAV:prop, DAV:allprop or DAV:propname');
  return { kind: 'prop', props: names(prop) };
}

function names(element: XmlElement): QName[] {
  return element.children.map((c) => c.name);
}
