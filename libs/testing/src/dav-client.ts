import { createDAVClient } from 'tsdav';
import { basicAuth } from './multistatus';

/**
 * A real DAV client (tsdav) that logs in with Basic auth and presents a user agent; `fetch`
 * replaces the global one (see agentFetch: a CA to trust, an address to connect from).
 */
export function davClient(serverUrl: string, login: string, password: string, userAgent: string, accountType: 'caldav' | 'carddav', fetch?: typeof globalThis.fetch) {
  return createDAVClient({
    serverUrl,
    credentials: { username: login, password },
    authMethod: 'Custom',
    authFunction: async () => ({ authorization: basicAuth(login, password), 'user-agent': userAgent }),
    defaultAccountType: accountType,
    fetch,
  });
}
