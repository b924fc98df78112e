import { type ServerResponse } from 'node:http';
import { dav, firstChild, type PropfindRequest, type XmlElement } from '@davmesh/dav';
import { MultistatusBody } from '../http/multistatus-body';

/** The properties a REPORT body's DAV:prop names; allprop when it has none. */
export function reportPropfind(body: XmlElement): PropfindRequest {
  const prop = firstChild(body, dav('prop'));
  return prop ? { kind: 'prop', props: prop.children.map((c) => c.name) } : { kind: 'allprop', include: [] };
}

/** Starts a 207 answer; see MultistatusBody. */
export function startMultistatus(response: ServerResponse): MultistatusBody {
  return new MultistatusBody(response);
}
