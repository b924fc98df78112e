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

  it('keeps the CRLF line endings of calendar and address data: an XML parser reads back the bytes stored', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';
    const writer = new MultistatusWriter([]);
    const body =
      writer.open() +
      writer.response({ href: '/dav/caldav/1/a.ics', propstats: [{ status: 200, props: [{ name: { ns: 'urn:ietf:params:xml:ns:caldav', local: 'calendar-data' }, value: ics }] }] }) +
      writer.close();
    // A literal CR would be read as a line feed (XML 1.0 2.11), so the client would hold other bytes than the ETag names.
    expect(body).not.toContain('\r');
    const root = await parseXml(body);
    expect(root.children[0].children[1].children[0].children[0].text).toBe(ics);
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
