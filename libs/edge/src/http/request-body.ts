import { type IncomingMessage } from 'node:http';
import { parseXml, sameName, XmlParseError, type QName, type XmlElement } from '@davmesh/dav';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** Reads the body as UTF-8, refusing more than `limit` bytes before buffering them. */
export async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads an XML request body and checks its root element; an empty body is undefined
 * (allowed for MKCOL and MKCALENDAR, refused by callers that need one).
 */
export async function readXmlBody(request: IncomingMessage, limit: number, root: QName): Promise<XmlElement | undefined> {
  const text = await readBody(request, limit);
  if (text.trim() === '') return undefined;
  const element = await parseXml(text);
  if (!sameName(element.name, root)) throw new XmlParseError(`the root element must be {${root.ns}}${root.local}`);
  return element;
}
