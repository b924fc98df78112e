import { PREFERRED_PREFIXES, type QName } from './names';

/** Content of an element: text, child elements, or nothing. */
export type XmlContent = string | XmlNode[] | undefined;

export interface XmlNode {
  name: QName;
  content?: XmlContent;
  /** Attributes without a namespace. */
  attributes?: Record<string, string>;
}

export function el(name: QName, content?: XmlContent, attributes?: Record<string, string>): XmlNode {
  return attributes ? { name, content, attributes } : { name, content };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * Assigns prefixes: the well-known namespaces get theirs, any other gets x0, x1, ...
 * Declared once on the root element, so every chunk of a streamed body can be
 * rendered on its own.
 */
export class Namespaces {
  private readonly prefixes = new Map<string, string>();

  constructor(initial: string[] = []) {
    for (const ns of initial) this.prefixFor(ns);
  }

  prefixFor(ns: string): string {
    let prefix = this.prefixes.get(ns);
    if (prefix === undefined) {
      prefix = PREFERRED_PREFIXES[ns] ?? `x${this.prefixes.size}`;
      this.prefixes.set(ns, prefix);
    }
    return prefix;
  }

  declarations(): string {
    return this.declarationsOf([...this.prefixes.keys()]);
  }

  /** `xmlns:` attributes for these namespaces (registered if new). */
  declarationsOf(namespaces: Iterable<string>): string {
    return [...namespaces].map((ns) => ` xmlns:${this.prefixFor(ns)}="${escapeXml(ns)}"`).join('');
  }

  /** Namespaces used by these nodes, registered so a later `declarations()` covers them. */
  collect(nodes: XmlNode[]): void {
    for (const node of nodes) {
      this.prefixFor(node.name.ns);
      if (Array.isArray(node.content)) this.collect(node.content);
    }
  }
}

/** Every namespace these nodes use. */
export function namespacesOf(nodes: XmlNode[], into = new Set<string>()): Set<string> {
  for (const node of nodes) {
    if (node.name.ns) into.add(node.name.ns);
    if (Array.isArray(node.content)) namespacesOf(node.content, into);
  }
  return into;
}

export function renderNode(node: XmlNode, ns: Namespaces): string {
  const tag = node.name.ns ? `${ns.prefixFor(node.name.ns)}:${node.name.local}` : node.name.local;
  const attributes = Object.entries(node.attributes ?? {})
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
  const { content } = node;
  if (content === undefined || (Array.isArray(content) && content.length === 0) || content === '') return `<${tag}${attributes}/>`;
  const inner = typeof content === 'string' ? escapeXml(content) : content.map((c) => renderNode(c, ns)).join('');
  return `<${tag}${attributes}>${inner}</${tag}>`;
}

/** A whole document with one root, namespaces declared on the root. */
export function renderDocument(root: XmlNode): string {
  const ns = new Namespaces();
  ns.collect([root]);
  const body = renderNode(root, ns);
  const firstClose = body.search(/\/?>/);
  return `<?xml version="1.0" encoding="utf-8"?>\n${body.slice(0, firstClose)}${ns.declarations()}${body.slice(firstClose)}`;
}
