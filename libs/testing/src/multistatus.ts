import { parseXml, type XmlElement } from '@davmesh/dav';

export interface ParsedResponse {
  href: string;
  /** `{namespace}local` → element, for properties answered 200. */
  found: Map<string, XmlElement>;
  /** `{namespace}local` of properties answered with another status. */
  missing: Map<string, number>;
}

const DAV = 'DAV:';

/** Reads a 207 body the way a client would: by namespace URI, not by prefix. */
export async function parseMultistatus(body: string): Promise<ParsedResponse[]> {
  const root = await parseXml(body);
  if (root.name.ns !== DAV || root.name.local !== 'multistatus') throw new Error(`not a multistatus: ${body}`);
  return root.children.filter((c) => c.name.ns === DAV && c.name.local === 'response').map(readResponse);
}

/** One DAV:response element (top-level, or nested in an expand-property answer). */
export function readResponse(response: XmlElement): ParsedResponse {
  const href = response.children.find((c) => c.name.local === 'href')?.text ?? '';
  const found = new Map<string, XmlElement>();
  const missing = new Map<string, number>();
  for (const propstat of response.children.filter((c) => c.name.local === 'propstat')) {
    const statusText = propstat.children.find((c) => c.name.local === 'status')?.text ?? '';
    const status = Number(/HTTP\/1\.1 (\d{3})/.exec(statusText)?.[1]);
    const props = propstat.children.find((c) => c.name.local === 'prop')?.children ?? [];
    for (const prop of props) {
      const key = `{${prop.name.ns}}${prop.name.local}`;
      if (status === 200) found.set(key, prop);
      else missing.set(key, status);
    }
  }
  return { href, found, missing };
}

/** The text of every DAV:href inside a property value. */
export function hrefsOf(element: XmlElement | undefined): string[] {
  if (!element) return [];
  return element.children.filter((c) => c.name.ns === DAV && c.name.local === 'href').map((c) => c.text);
}

export function basicAuth(login: string, password: string): string {
  return `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
}

export const PRINCIPAL_PROPFIND = `<?xml version="1.0" encoding="utf-8"?>
<A:propfind xmlns:A="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:R="urn:ietf:params:xml:ns:carddav">
  <A:prop>
    <A:current-user-principal/><A:principal-URL/><A:displayname/><A:resourcetype/>
    <C:calendar-home-set/><R:addressbook-home-set/><C:calendar-user-address-set/>
    <C:schedule-inbox-URL/>
  </A:prop>
</A:propfind>`;
