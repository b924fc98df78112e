import { TextDecoder } from 'node:util';
import { XmlParseError } from '@davmesh/dav';
import { DavHttpError } from './dav-exchange';

/**
 * The character encoding of an XML body, by RFC 7303 3.2's order: a byte order mark,
 * else the Content-Type charset, else the XML declaration's encoding (XML 1.0 4.3.3 and
 * appendix F, which also tells UTF-16 without a mark by its first bytes), else UTF-8.
 */
export function xmlBodyCharset(bytes: Buffer, contentType: string | undefined): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  const declared = /;\s*charset\s*=\s*"?([^";,\s]+)/i.exec(contentType ?? '')?.[1];
  if (declared) return declared;
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
  // The declaration is ASCII in every ASCII-compatible encoding.
  const head = bytes.subarray(0, 256).toString('latin1');
  return /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(head)?.[1] ?? 'utf-8';
}

/**
 * Decodes an XML body in its declared encoding (any WHATWG label Node knows: ISO-8859-1,
 * windows-1252, UTF-16, Shift_JIS, ...). An encoding we do not know is answered 415;
 * bytes that are not valid in it 400, rather than storing U+FFFD in their place.
 */
export function decodeXmlBody(bytes: Buffer, contentType: string | undefined): string {
  const charset = xmlBodyCharset(bytes, contentType);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw new DavHttpError(415, `the character encoding ${JSON.stringify(charset)} is not supported`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new XmlParseError(`the body is not valid ${decoder.encoding}`);
  }
}
