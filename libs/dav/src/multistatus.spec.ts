import { MultistatusWriter, encodeHref } from './multistatus';
import { dav } from './names';
import { parseXml } from './xml-parse';
import { el, innerXml } from './xml-writer';

describe('multistatus rendering', () => {
  it('writes a body a namespace-aware parser reads back, escaping text and declaring unknown namespaces', async () => {
    const custom = { ns: 'http://example.org/ns/', local: 'colour' };
    const writer = new MultistatusWriter([custom.ns]);
    const body =
      writer.open() +
      writer.response({
        href: '/dav/a%20b/',
        propstats: [
          { status: 200, props: [{ name: dav('displayname'), value: 'Tom & Jerry <3' }, { name: custom, value: 'red' }] },
          { status: 404, props: [{ name: dav('getetag') }] },
        ],
      }) +
      writer.close();
    const root = await parseXml(body);
    const response = root.children[0];
    const [okProp, missingProp] = response.children.filter((c) => c.name.local === 'propstat');
    expect(okProp.children[0].children.map((c) => [c.name.ns, c.text])).toEqual([
      ['DAV:', 'Tom & Jerry <3'],
      ['http://example.org/ns/', 'red'],
    ]);
    expect(missingProp.children[1].text).toBe('HTTP/1.1 404 Not Found');
  });

  it('declares a namespace first met after the root on the element that uses it, and puts stored markup back as is', async () => {
    const stored = await parseXml('<x:colour xmlns:x="http://example.org/ns/"><y:shade xmlns:y="urn:y" tone="dark">red &amp; blue</y:shade></x:colour>');
    const writer = new MultistatusWriter();
    const body =
      writer.open() +
      writer.response({ href: '/x', propstats: [{ status: 200, props: [{ name: stored.name, value: { raw: innerXml(stored) } }] }] }) +
      writer.response({ href: '/y', propstats: [{ status: 404, props: [{ name: { ns: 'urn:other', local: 'thing' } }] }] }) +
      writer.close();
    const root = await parseXml(body);
    const [colour] = root.children[0].children[1].children[0].children;
    expect(colour.name).toEqual({ ns: 'http://example.org/ns/', local: 'colour' });
    expect(colour.children[0]).toMatchObject({ name: { ns: 'urn:y', local: 'shade' }, text: 'red & blue', attributes: { tone: 'dark' } });
    expect(root.children[1].children[1].children[0].children[0].name).toEqual({ ns: 'urn:other', local: 'thing' });
  });

  it('leaves out an empty propstat', () => {
    const writer = new MultistatusWriter();
    expect(writer.response({ href: '/x', propstats: [{ status: 404, props: [] }] })).not.toContain('propstat');
    expect(el(dav('x')).content).toBeUndefined();
  });

  it('encodes each href segment, a % in a name included', () => {
    expect(encodeHref('/dav/caldav/Team Cal/ä.ics')).toBe('/dav/caldav/Team%20Cal/%C3%A4.ics');
    expect(encodeHref('/dav/caldav/a%2Fb c.ics')).toBe('/dav/caldav/a%252Fb%20c.ics');
  });
});
