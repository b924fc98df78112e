import { innerXml, parseInnerXml } from './dead-property';
import { parseXml } from './xml-parse';
import { renderNode, Namespaces } from './xml-writer';

describe('dead property values', () => {
  it('keeps text and nested elements with their namespaces through storage', async () => {
    const prop = await parseXml('<x:color xmlns:x="urn:ex" xmlns:y="urn:why"><y:rgb mode="hex">#FF&amp;00</y:rgb><y:empty/></x:color>');
    const stored = innerXml(prop);
    const content = await parseInnerXml(stored);
    expect(Array.isArray(content)).toBe(true);
    const ns = new Namespaces();
    const rendered = (content as never[]).map((n) => renderNode(n, ns)).join('');
    expect(rendered).toBe('<x0:rgb mode="hex">#FF&amp;00</x0:rgb><x0:empty/>');
    expect(ns.declarations()).toContain('urn:why');
    expect(await parseInnerXml(innerXml(await parseXml('<a xmlns="urn:a">plain &lt;text&gt;</a>')))).toBe('plain <text>');
  });
});
