import { type QName } from './names';
import { parseXml, type XmlElement } from './xml-parse';
import { el, escapeXml, type XmlContent, type XmlNode } from './xml-writer';

const WRAPPER_NS = 'urn:davmesh:dead-property';

/**
 * A dead property's value as XML that stands on its own: every element declares its
 * namespace, so the text can be stored and parsed back without the request's prefixes.
 */
export function innerXml(element: XmlElement): string {
  if (element.children.length === 0) return escapeXml(element.text);
  return element.children.map(elementXml).join('');
}

function elementXml(element: XmlElement): string {
  const tag = element.name.ns ? `x:${element.name.local}` : element.name.local;
  const declaration = element.name.ns ? ` xmlns:x="${escapeXml(element.name.ns)}"` : ' xmlns=""';
  const attributes = Object.entries(element.attributes)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
  const inner = innerXml(element);
  return inner === '' ? `<${tag}${declaration}${attributes}/>` : `<${tag}${declaration}${attributes}>${inner}</${tag}>`;
}

/** The stored value of a dead property, as content for the multistatus writer. */
export async function parseInnerXml(xml: string): Promise<XmlContent> {
  const root = await parseXml(`<w:value xmlns:w="${WRAPPER_NS}">${xml}</w:value>`);
  return contentOf(root);
}

function contentOf(element: XmlElement): XmlContent {
  if (element.children.length === 0) return element.text;
  return element.children.map((child): XmlNode => el(child.name, contentOf(child), Object.keys(child.attributes).length > 0 ? child.attributes : undefined));
}

/** A dead property ready to render. */
export interface DeadPropertyValue {
  name: QName;
  value: XmlContent;
}
