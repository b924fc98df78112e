import { dav } from './names';
import { parsePropfind } from './propfind-request';
import { parseXml, XmlParseError } from './xml-parse';

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
  });
});
