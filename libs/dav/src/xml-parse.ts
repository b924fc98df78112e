import { Parser } from 'xml2js';
import { type QName } from './names';
import { DEFAULT_XML_LIMITS, scanXml, XmlParseError, type XmlLimits } from './xml-scan';

export { DEFAULT_XML_LIMITS, XmlLimitError, XmlParseError, type XmlLimits } from './xml-scan';

export interface XmlElement {
  name: QName;
  children: XmlElement[];
  text: string;
  /** Attributes without a namespace, by local name (`name`, `collation`, `match-type`, ...). */
  attributes: Record<string, string>;
}

interface RawNode {
  $ns?: { uri: string; local: string };
  $?: Record<string, { value: string; local: string; uri: string }>;
  _?: string;
  $$?: RawNode[];
}

/**
 * Parses a request body into namespaced elements, once it has passed the limits (see
 * scanXml): documents with a DTD are refused outright, no entity is ever declared,
 * expanded or fetched.
 */
export async function parseXml(body: string, limits: XmlLimits = DEFAULT_XML_LIMITS): Promise<XmlElement> {
  scanXml(body, limits);
  const parser = new Parser({
    xmlns: true,
    explicitChildren: true,
    preserveChildrenOrder: true,
    explicitArray: true,
    explicitRoot: false,
    charsAsChildren: false,
    trim: false,
    strict: true,
  });
  let root: RawNode;
  try {
    root = (await parser.parseStringPromise(body)) as RawNode;
  } catch (error) {
    throw new XmlParseError(`malformed XML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!root || typeof root !== 'object' || !root.$ns) throw new XmlParseError('the document has no root element');
  return convert(root);
}

function convert(node: RawNode): XmlElement {
  const name = node.$ns ? { ns: node.$ns.uri ?? '', local: node.$ns.local } : { ns: '', local: '' };
  const children = (node.$$ ?? []).filter((child) => typeof child === 'object' && child.$ns).map(convert);
  const attributes: Record<string, string> = {};
  for (const attribute of Object.values(node.$ ?? {})) {
    if (!attribute.uri) attributes[attribute.local] = attribute.value;
  }
  return { name, children, text: typeof node._ === 'string' ? node._ : '', attributes };
}

export function childrenNamed(element: XmlElement, name: QName): XmlElement[] {
  return element.children.filter((c) => c.name.ns === name.ns && c.name.local === name.local);
}

export function firstChild(element: XmlElement, name: QName): XmlElement | undefined {
  return childrenNamed(element, name)[0];
}
