import { dav } from './names';
import { parsePropfind } from './propfind-request';
import { DEFAULT_XML_LIMITS, parseXml, XmlLimitError, XmlParseError } from './xml-parse';

describe('XML request parsing', () => {
  it('matches names by namespace URI, whatever the prefix', async () => {
    const request = await parsePropfind(
      '<x:propfind xmlns:x="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><x:prop><c:calendar-home-set/><x:displayname/></x:prop></x:propfind>',
    );
    expect(request).toEqual({
      kind: 'prop',
      props: [
        { ns: 'urn:ietf:params:xml:ns:caldav', local: 'calendar-home-set' },
        { ns: 'DAV:', local: 'displayname' },
      ],
    });
  });

  it('reads the default namespace', async () => {
    const root = await parseXml('<propfind xmlns="DAV:"><propname/></propfind>');
    expect(root.name).toEqual(dav('propfind'));
    expect(await parsePropfind('<propfind xmlns="DAV:"><propname/></propfind>')).toEqual({ kind: 'propname' });
  });

  it('treats an empty body as allprop', async () => {
    expect(await parsePropfind('')).toEqual({ kind: 'allprop', include: [] });
  });

  it('refuses entity declarations instead of expanding them', async () => {
    const billionLaughs = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><propfind xmlns="DAV:">&b;</propfind>';
    await expect(parseXml(billionLaughs)).rejects.toBeInstanceOf(XmlParseError);
    const external = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><propfind xmlns="DAV:">&x;</propfind>';
    await expect(parseXml(external)).rejects.toThrow(/DTD/);
  });

  it('rejects malformed XML and a wrong root element', async () => {
    await expect(parsePropfind('<propfind xmlns="DAV:"><prop>')).rejects.toBeInstanceOf(XmlParseError);
    await expect(parsePropfind('<mkcol xmlns="DAV:"/>')).rejects.toThrow(/DAV:propfind/);
    // One document element: a second is not taken as the body, nor the first.
    await expect(parseXml('<propfind xmlns="DAV:"><allprop/></propfind><propfind xmlns="DAV:"><propname/></propfind>')).rejects.toThrow(/second root element/);
  });

  it('refuses a DTD wherever and however it is written, and a markup declaration outside one', async () => {
    for (const body of [
      '<!-- a comment first --><!DOCTYPE propfind><propfind xmlns="DAV:"/>',
      '<?xml version="1.0"?>\n<!doctype propfind SYSTEM "http://evil.example/x.dtd"><propfind xmlns="DAV:"/>',
      '<!ENTITY x "y"><propfind xmlns="DAV:"/>',
    ]) {
      await expect(parseXml(body)).rejects.toThrow(XmlParseError);
    }
    // The same words as text or in a CDATA section are data, not declarations.
    const root = await parseXml('<x:note xmlns:x="urn:x"><![CDATA[<!DOCTYPE a>]]> and &lt;!ENTITY&gt;</x:note>');
    expect(root.text).toBe('<!DOCTYPE a> and <!ENTITY>');
  });

  it('refuses U+0000 and the other characters XML does not allow, raw or as a reference', async () => {
    for (const body of ['<x:a xmlns:x="urn:x">a\u0000b</x:a>', '<x:a xmlns:x="urn:x">&#0;</x:a>', '<x:a xmlns:x="urn:x" b="&#x0;"/>', '<x:a xmlns:x="urn:x">\u0001</x:a>', '<x:a xmlns:x="urn:x">&#xD800;</x:a>']) {
      await expect(parseXml(body)).rejects.toThrow(XmlParseError);
    }
    expect((await parseXml('<x:a xmlns:x="urn:x">tab\tnewline\n&#x1F600;</x:a>')).text).toBe('tab\tnewline\n\u{1F600}');
  });

  describe('limits on the shape of a body, each naming its configuration key', () => {
    const limits = { depth: 8, elements: 20, attributes: 6, namespaces: 3 };
    const refusal = async (body: string) => {
      try {
        await parseXml(body, limits);
      } catch (error) {
        return error as XmlLimitError;
      }
      throw new Error('the body was accepted');
    };

    it('accepts a body at every limit', async () => {
      const nested = `${'<x:a>'.repeat(7)}${'</x:a>'.repeat(7)}`;
      const root = await parseXml(`<x:r xmlns:x="urn:x" xmlns:y="urn:y" xmlns:z="urn:z" p="1" q="2" s="3">${nested}</x:r>`, limits);
      expect(root.attributes).toEqual({ p: '1', q: '2', s: '3' });
    });

    it('reads text with more "=" than the attribute limit (scanned first, then parsed)', async () => {
      const root = await parseXml('<x:r xmlns:x="urn:x" lang="de"><x:q>a=b=c=d=e=f=g</x:q></x:r>', limits);
      expect(root.children[0].text).toBe('a=b=c=d=e=f=g');
      expect(root.attributes).toEqual({ lang: 'de' });
    });

    it('refuses nesting deeper than the depth limit', async () => {
      const error = await refusal(`<x:r xmlns:x="urn:x">${'<x:a>'.repeat(8)}${'</x:a>'.repeat(8)}</x:r>`);
      expect(error).toBeInstanceOf(XmlLimitError);
      expect(error.message).toContain('davmesh.limits.xml.depth');
    });

    it('refuses more elements, attributes or namespace declarations than allowed', async () => {
      expect((await refusal(`<x:r xmlns:x="urn:x">${'<x:a/>'.repeat(20)}</x:r>`)).limit).toBe('elements');
      expect((await refusal(`<x:r xmlns:x="urn:x">${'<x:a p="1" q="2" s="3"/>'.repeat(2)}</x:r>`)).limit).toBe('attributes');
      expect((await refusal('<x:r xmlns="urn:d" xmlns:x="urn:x"><x:a xmlns:y="urn:y"><x:b xmlns:z="urn:z"/></x:a></x:r>')).limit).toBe('namespaces');
    });

    it('refuses 60,000 attributes and 20,000 namespace declarations at the limit, before reading the rest', async () => {
      const attributes = Array.from({ length: 60_000 }, (_, i) => `a${i}="x"`).join(' ');
      // Malformed after the limit: refused for the limit, so the rest was never parsed.
      expect((await refusal(`<x:r xmlns:x="urn:x" ${attributes}/><<<`)).limit).toBe('attributes');
      const declarations = Array.from({ length: 20_000 }, (_, i) => `xmlns:n${i}="urn:n${i}"`).join(' ');
      await expect(parseXml(`<x:r xmlns:x="urn:x" ${declarations}/>`, DEFAULT_XML_LIMITS)).rejects.toThrow(/davmesh\.limits\.xml\.namespaces/);
    });
  });
});
