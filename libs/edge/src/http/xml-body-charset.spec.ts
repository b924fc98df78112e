import { xmlBodyCharset } from './xml-body-charset';

describe('the charset of an XML body (RFC 7303 3.2: BOM, then Content-Type, then the XML declaration)', () => {
  const latin1Declared = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a/>');

  it('follows a byte order mark over everything else', () => {
    expect(xmlBodyCharset(Buffer.from([0xef, 0xbb, 0xbf, 0x3c]), 'text/xml; charset=iso-8859-1')).toBe('utf-8');
    expect(xmlBodyCharset(Buffer.from([0xfe, 0xff, 0x00, 0x3c]), undefined)).toBe('utf-16be');
    expect(xmlBodyCharset(Buffer.from([0xff, 0xfe, 0x3c, 0x00]), 'application/xml; charset=utf-8')).toBe('utf-16le');
  });

  it('takes the Content-Type charset, quoted or not, over the declaration', () => {
    expect(xmlBodyCharset(latin1Declared, 'application/xml; charset="windows-1252"')).toBe('windows-1252');
    expect(xmlBodyCharset(latin1Declared, 'text/xml;charset=UTF-8')).toBe('UTF-8');
  });

  it('reads the XML declaration, or UTF-16 by its first bytes, and defaults to UTF-8', () => {
    expect(xmlBodyCharset(latin1Declared, 'text/xml')).toBe('ISO-8859-1');
    expect(xmlBodyCharset(Buffer.from('<?xml version="1.0"?>', 'utf16le'), undefined)).toBe('utf-16le');
    expect(xmlBodyCharset(Buffer.from('<?xml version="1.0"?><a/>'), undefined)).toBe('utf-8');
    expect(xmlBodyCharset(Buffer.from('<a>encoding="latin1"</a>'), undefined)).toBe('utf-8');
  });
});
