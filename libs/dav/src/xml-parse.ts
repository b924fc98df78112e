import { Parser } from 'xml2js';
import { type QName } from './names';
import { DEFAULT_XML_LIMITS, scanXml, XmlParseError, type XmlLimits } from './xml-scan';

export { DEFAULT_XML_LIMITS, XmlLimitError, XmlParseError, type XmlLimits } from './xml-scan';

/** One element as the document wrote it: what DAV compares (namespace URI, local name) and what a dead property keeps. */
export interface XmlElement {
  name: QName;
  /** The prefix as written, '' for none. */
  prefix: string;
  /** Child elements in document order. */
  children: XmlElement[];
  /** Text and child elements in document order (mixed content, whitespace and CDATA as text). */
  content: (string | XmlElement)[];
  /** The element's own text, its pieces joined. */
  text: string;
  /** Attributes without a namespace, by local name (`name`, `collation`, `match-type`, ...). */
  attributes: Record<string, string>;
  /** Every attribute as written, by qualified name: namespace declarations and `xml:lang` included. */
  written: Record<string, string>;
  /** The namespace declarations in scope, prefix ('' for the default namespace) to URI. */
  namespaces: Record<string, string>;
  /** The `xml:lang` in scope, if any. */
  lang?: string;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
/** Not an XML name, so no element can collide with xml2js's own keys. */
const TEXT_KEY = '#text';

interface RawNode {
  '#name': string;
  $ns?: { uri: string; local: string };
  $?: Record<string, { value: string; local: string; uri: string }>;
  [TEXT_KEY]?: string;
  $$?: RawNode[];
}

/**
 * Parses a request body into namespaced elements, once it has passed the limits (see
 * scanXml): documents with a DTD are refused outright, no entity is ever declared,
 * expanded or fetched. xml2js keeps what a DAV body means when asked: names resolved
 * against their namespaces (`xmlns`), text and elements interleaved in document order
 * (`preserveChildrenOrder`, `charsAsChildren`, `includeWhiteChars`), every attribute
 * with its namespace (xml:lang); prefixes and declarations are read from the raw names.
 */
export async function parseXml(body: string, limits: XmlLimits = DEFAULT_XML_LIMITS): Promise<XmlElement> {
  scanXml(body, limits);
  const parser = new Parser({
    xmlns: true,
    explicitChildren: true,
    preserveChildrenOrder: true,
    charsAsChildren: true,
    includeWhiteChars: true,
    charkey: TEXT_KEY,
    explicitRoot: false,
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
  return convert(root, { namespaces: {} });
}

function convert(node: RawNode, parent: Pick<XmlElement, 'namespaces' | 'lang'>): XmlElement {
  const qualified = node['#name'];
  const colon = qualified.indexOf(':');
  const element: XmlElement = {
    name: { ns: node.$ns?.uri ?? '', local: node.$ns?.local ?? qualified },
    prefix: colon < 0 ? '' : qualified.slice(0, colon),
    children: [],
    content: [],
    text: '',
    attributes: {},
    written: {},
    namespaces: parent.namespaces,
    ...(parent.lang === undefined ? {} : { lang: parent.lang }),
  };
  for (const [name, attribute] of Object.entries(node.$ ?? {})) {
    element.written[name] = attribute.value;
    if (!attribute.uri) element.attributes[attribute.local] = attribute.value;
    else if (name === 'xmlns' || name.startsWith('xmlns:')) element.namespaces = { ...element.namespaces, [name.slice(6)]: attribute.value };
    else if (attribute.uri === XML_NS && attribute.local === 'lang') element.lang = attribute.value;
  }
  for (const child of node.$$ ?? []) {
    if (child.$ns) {
      const converted = convert(child, element);
      element.children.push(converted);
      element.content.push(converted);
    } else {
      const text = child[TEXT_KEY] ?? '';
      element.text += text;
      const last = element.content.length - 1;
      if (typeof element.content[last] === 'string') element.content[last] += text;
      else element.content.push(text);
    }
  }
  return element;
}

export function childrenNamed(element: XmlElement, name: QName): XmlElement[] {
  return element.children.filter((c) => c.name.ns === name.ns && c.name.local === name.local);
}

export function firstChild(element: XmlElement, name: QName): XmlElement | undefined {
  return childrenNamed(element, name)[0];
}
