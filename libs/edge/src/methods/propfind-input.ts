import { type IncomingMessage } from 'node:http';
import { parsePropfind, renderDavError, type PropfindRequest, Condition } from '@davmesh/dav';
import { DavHttpError } from '../http/dav-exchange';
import { parseDepth } from '../http/dav-headers';
import { readXmlText, type XmlBodyLimits } from '../http/request-body';

/** What a PROPFIND asks: Depth 0 or 1, and the properties. */
export interface PropfindInput {
  depth: '0' | '1';
  propfind: PropfindRequest;
}

/**
 * RFC 4918 reads a missing Depth as infinity; like SabreDAV we answer it as 1, so a bare
 * `curl -X PROPFIND` or a sloppy client gets an answer instead of a 403. An explicit
 * infinity is refused with DAV:propfind-finite-depth.
 */
export async function readPropfindInput(request: IncomingMessage, limits: XmlBodyLimits): Promise<PropfindInput> {
  const depth = parseDepth(request.headers['depth'], '1');
  if (depth === undefined) throw new DavHttpError(400, 'Depth must be 0, 1 or infinity');
  if (depth === 'infinity') {
    throw new DavHttpError(403, 'Depth: infinity is not supported', renderDavError(Condition.PropfindFiniteDepth));
  }
  const propfind = await parsePropfind(await readXmlText(request, limits), limits);
  return { depth, propfind };
}
