import { type QualifiedAttribute, type QualifiedTag } from 'sax';
import { type QName } from './names';
import { DEFAULT_XML_LIMITS, scanXml, strictSax, xmlText, XmlParseError, XmlShape, type XmlLimits } from './xml-scan';

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

/**
 * Parses a request body into namespaced elements in one pass of sax in namespace mode,
 * refusing it at the first davmesh.limits.xml.* bound passed (400) and refusing any DTD
 * or markup declaration: no entity is ever declared, expanded or fetched. Names are
 * resolved against their namespaces (`xmlns`); text, CDATA and elements are kept in
 * document order with whitespace; every attribute is kept as written (xml:lang too).
 * A body with more `=` than the attribute limit is scanned first (see scanXml).
 */
export async function parseXml(body: string, limits: XmlLimits = DEFAULT_XML_LIMITS): Promise<XmlElement> {
  const text = xmlText(body);
  if (mayHoldMoreAttributes(text, limits.attributes)) scanXml(text, limits);
  const shape = new XmlShape(limits);
  const sax = strictSax(true);
  const open: XmlElement[] = [];
  let root: XmlElement | undefined;
  sax.onopentagstart = () => shape.opened();
  sax.onattribute = ({ name }) => shape.attribute(name);
  sax.onopentag = (tag) => {
    const parent = open[open.length - 1];
    const element = elementOf(tag as QualifiedTag, parent);
    if (parent) {
      parent.children.push(element);
      parent.content.push(element);
    } else if (root) throw new XmlParseError('malformed XML: a second root element');
    else root = element;
    open.push(element);
  };
  sax.onclosetag = () => {
    shape.closed();
    open.pop();
  };
  sax.ontext = sax.oncdata = (piece) => {
    const element = open[open.length - 1];
    if (!element) return;
    element.text += piece;
    const last = element.content.length - 1;
    if (typeof element.content[last] === 'string') element.content[last] += piece;
    else element.content.push(piece);
  };
  sax.write(text).close();
  if (!root) throw new XmlParseError('the document has no root element');
  return root;
}

function elementOf(tag: QualifiedTag, parent: XmlElement | undefined): XmlElement {
  const element: XmlElement = {
    name: { ns: tag.uri, local: tag.local },
    prefix: tag.prefix,
    children: [],
    content: [],
    text: '',
    attributes: {},
    written: {},
    namespaces: parent?.namespaces ?? {},
    ...(parent?.lang === undefined ? {} : { lang: parent.lang }),
  };
  for (const [name, attribute] of Object.entries(tag.attributes as Record<string, QualifiedAttribute>)) {
    element.written[name] = attribute.value;
    if (!attribute.uri) element.attributes[attribute.local] = attribute.value;
    else if (name === 'xmlns' || name.startsWith('xmlns:')) element.namespaces = { ...element.namespaces, [name.slice(6)]: attribute.value };
    else if (attribute.uri === XML_NS && attribute.local === 'lang') element.lang = attribute.value;
  }
  return element;
}

/** Every attribute is written with `=`: at most that many. */
function mayHoldMoreAttributes(text: string, limit: number): boolean {
  let count = 0;
  for (let at = text.indexOf('='); at >= 0; at = text.indexOf('=', at + 1)) if (++count > limit) return true;
  return false;
}

export function childrenNamed(element: XmlElement, name: QName): XmlElement[] {
  return element.children.filter((c) => c.name.ns === name.ns && c.name.local === name.local);
}

export function firstChild(element: XmlElement, name: QName): XmlElement | undefined {
  return childrenNamed(element, name)[0];
}
