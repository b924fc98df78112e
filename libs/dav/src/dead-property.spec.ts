import { MultistatusWriter } from './multistatus';
import { parseXml } from './xml-parse';
import { innerXml } from './xml-writer';

describe('dead property values', () => {
  it('keeps text, attributes and nested elements with their namespaces through storage and back into a response', async () => {
    const prop = await parseXml('<x:color xmlns:x="urn:ex" xmlns:y="urn:why"><y:rgb mode="hex">#FF&amp;00</y:rgb><y:empty/></x:color>');
    const stored = innerXml(prop);
    const writer = new MultistatusWriter();
    const body =
      writer.open() +
      writer.response({ href: '/c/', propstats: [{ status: 200, props: [{ name: { ns: 'urn:ex', local: 'color' }, value: { raw: stored } }] }] }) +
      writer.close();
    const color = (await parseXml(body)).children[0].children[1].children[0].children[0];
    expect(color.name).toEqual({ ns: 'urn:ex', local: 'color' });
    expect(color.children.map((c) => [c.name.ns, c.name.local, c.text, c.attributes])).toEqual([
      ['urn:why', 'rgb', '#FF&00', { mode: 'hex' }],
      ['urn:why', 'empty', '', {}],
    ]);
  });

  it('stores plain text escaped', async () => {
    expect(innerXml(await parseXml('<a xmlns="urn:a">plain &lt;text&gt;</a>'))).toBe('plain &lt;text&gt;');
  });
});
