import request from 'supertest';
import { basicAuth, DAVX5_UA } from '@davmesh/testing';

// Requests to a node, whichever started it: no import of @davmesh/runtime here, so that a
// suite on the shared node (shared-node.fixture.ts) does not load what it never starts.

/** Any HTTP method, as one user, with supertest; `body` sent as given. */
export function dav(url: string, login: string, password: string) {
  return (method: string, path: string, headers: Record<string, string> = {}, body?: string): request.Test => {
    const agent = request(url) as unknown as Record<string, (path: string) => request.Test>;
    let test = agent[method.toLowerCase()](path).set('Authorization', basicAuth(login, password)).set('User-Agent', DAVX5_UA);
    for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
    return body === undefined ? test : test.send(body);
  };
}

/** The hrefs of the user's calendars by display name, from a Depth 1 PROPFIND on the home. */
export async function calendarHrefs(send: ReturnType<typeof dav>): Promise<Record<string, string>> {
  const home = await send('PROPFIND', '/dav/caldav/', { Depth: '1', 'Content-Type': 'application/xml' }, '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>');
  const hrefs: Record<string, string> = {};
  for (const match of home.text.matchAll(/<d:href>([^<]+)<\/d:href><d:propstat><d:prop><d:displayname>([^<]*)<\/d:displayname>/g)) hrefs[match[2]] = match[1];
  return hrefs;
}
