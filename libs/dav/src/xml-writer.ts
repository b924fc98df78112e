import { PREFERRED_PREFIXES, type QName } from './names';
import { type XmlElement } from './xml-parse';

/** Markup kept as received (a dead property's value), each top-level element declaring its own namespaces. */
export interface RawXml {
  raw: string;
}

/** Content of an element: text, child elements, markup kept as is, or nothing. */
export type XmlContent = string | XmlNode[] | RawXml | undefined;

export interface XmlNode {
  name: QName;
  content?: XmlContent;
  /** Attributes without a namespace. */
  attributes?: Record<string, string>;
  /** The whole element as markup kept as received (a dead property), written instead of the rest. */
  markup?: string;
}

export function el(name: QName, content?: XmlContent, attributes?: Record<string, string>): XmlNode {
  return attributes ? { name, content, attributes } : { name, content };
}

// A carriage return as a character reference: a literal one would reach the client as a line feed (XML 1.0 2.11
// end-of-line handling), so calendar-data and address-data would lose iCalendar's and vCard's CRLF line endings.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

const NEEDS_ESCAPE = /[&<>"'\r]/;
const ESCAPED = Object.entries(ESCAPES);

export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  // One native pass per character present, '&' first: a replace with a callback per match cost
  // calendar-data a call per line (each CR), 1.7 times the time of these passes.
  let escaped = text;
  for (const [character, reference] of ESCAPED) if (escaped.includes(character)) escaped = escaped.replaceAll(character, reference);
  return escaped;
}

/**
 * Assigns prefixes: the well-known namespaces get theirs, any other gets x0, x1, ...
 * Declared once on the root element, so every chunk of a streamed body can be
 * rendered on its own.
 */
export class Namespaces {
  private readonly prefixes = new Map<string, string>();
  /** Each namespace's place in the order it was met. */
  private readonly order = new Map<string, number>();
  /** Set once the root's declarations are written: a namespace met later is declared on the element using it. */
  private sealedAt: number | undefined;

  constructor(initial: string[] = []) {
    for (const ns of initial) this.prefixFor(ns);
  }

  prefixFor(ns: string): string {
    let prefix = this.prefixes.get(ns);
    if (prefix === undefined) {
      prefix = PREFERRED_PREFIXES[ns] ?? `x${this.prefixes.size}`;
      this.order.set(ns, this.prefixes.size);
      this.prefixes.set(ns, prefix);
    }
    return prefix;
  }

  declarations(): string {
    return [...this.prefixes].map(([ns, prefix]) => ` xmlns:${prefix}="${escapeXml(ns)}"`).join('');
  }

  /** The root's declarations, after which new namespaces are declared where they are used. */
  seal(): string {
    this.sealedAt = this.prefixes.size;
    return this.declarations();
  }

  /** ` xmlns:p="…"` when an element in this namespace must declare it itself. */
  inlineDeclaration(ns: string): string {
    if (this.sealedAt === undefined) return '';
    const prefix = this.prefixFor(ns);
    return this.order.get(ns)! >= this.sealedAt ? ` xmlns:${prefix}="${escapeXml(ns)}"` : '';
  }

  /** Namespaces used by these nodes, registered so a later `declarations()` covers them. */
  collect(nodes: XmlNode[]): void {
    for (const node of nodes) {
      this.prefixFor(node.name.ns);
      if (Array.isArray(node.content)) this.collect(node.content);
    }
  }
}

export function renderNode(node: XmlNode, ns: Namespaces): string {
  if (node.markup !== undefined) return node.markup;
  const tag = node.name.ns ? `${ns.prefixFor(node.name.ns)}:${node.name.local}` : node.name.local;
  const declaration = node.name.ns ? ns.inlineDeclaration(node.name.ns) : '';
  const attributes =
    declaration +
    Object.entries(node.attributes ?? {})
      .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
      .join('');
  const { content } = node;
  const empty = content === undefined || content === '' || (Array.isArray(content) ? content.length === 0 : typeof content === 'object' && content.raw === '');
  if (empty) return `<${tag}${attributes}/>`;
  const inner =
    typeof content === 'string' ? escapeXml(content) : Array.isArray(content) ? content.map((c) => renderNode(c, ns)).join('') : content.raw;
  return `<${tag}${attributes}>${inner}</${tag}>`;
}

/**
 * An element as written (RFC 4918 4.3, a dead property's value): its prefix, every
 * attribute, text and children in order, with the namespace declarations and the
 * `xml:lang` in scope made its own, so it stands alone in storage and in any response.
 */
export function outerXml(element: XmlElement): string {
  let inherited = '';
  for (const [prefix, uri] of Object.entries(element.namespaces)) {
    const declaration = prefix ? `xmlns:${prefix}` : 'xmlns';
    if (!(declaration in element.written)) inherited += ` ${declaration}="${escapeXml(uri)}"`;
  }
  if (element.lang !== undefined && !('xml:lang' in element.written)) inherited += ` xml:lang="${escapeXml(element.lang)}"`;
  return writeElement(element, inherited);
}

/** An element's content as markup that stands on its own: text escaped, each child element as `outerXml` writes it. */
export function innerXml(element: XmlElement): string {
  return element.content.map((piece) => (typeof piece === 'string' ? escapeXml(piece) : outerXml(piece))).join('');
}

function writeElement(element: XmlElement, inherited = ''): string {
  const tag = element.prefix ? `${element.prefix}:${element.name.local}` : element.name.local;
  // A tab or line feed written raw in an attribute would come back as a space (XML 1.0 3.3.3).
  const attributes = Object.entries(element.written).map(([name, value]) => ` ${name}="${escapeXml(value).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;')}"`).join('') + inherited;
  if (element.content.length === 0) return `<${tag}${attributes}/>`;
  const content = element.content.map((piece) => (typeof piece === 'string' ? escapeXml(piece) : writeElement(piece))).join('');
  return `<${tag}${attributes}>${content}</${tag}>`;
}

/** A whole document with one root, namespaces declared on the root. */
export function renderDocument(root: XmlNode): string {
  const ns = new Namespaces();
  ns.collect([root]);
  const body = renderNode(root, ns);
  const firstClose = body.search(/\/?>/);
  return `<?xml version="1.0" encoding="utf-8"?>\n${body.slice(0, firstClose)}${ns.declarations()}${body.slice(firstClose)}`;
}
