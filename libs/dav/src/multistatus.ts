import { dav, NS, type QName } from './names';
import { el, Namespaces, renderNode, type XmlContent, type XmlNode } from './xml-writer';

export interface PropValue {
  name: QName;
  value?: XmlContent;
  /** A dead property: the whole element as stored (see outerXml), put back as is. */
  stored?: string;
}

export interface Propstat {
  status: number;
  props: PropValue[];
  /** The condition that failed (RFC 4918 14.22), such as DAV:cannot-modify-protected-property. */
  error?: QName;
}

export interface MultistatusResponse {
  href: string;
  propstats: Propstat[];
}

const REASONS: Record<number, string> = {
  200: 'OK',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  424: 'Failed Dependency',
  507: 'Insufficient Storage',
};

export function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${REASONS[status] ?? ''}`.trimEnd();
}

/**
 * Renders a 207 body piece by piece: the caller writes `open()`, one `response()` per
 * resource as it arrives, then `close()`, so a large collection never sits in memory.
 * Namespaces a response might use are declared up front on the root.
 */
export class MultistatusWriter {
  private readonly namespaces: Namespaces;

  constructor(extraNamespaces: string[] = []) {
    this.namespaces = new Namespaces([NS.DAV, NS.CALDAV, NS.CARDDAV, NS.CALSERVER, NS.APPLE, ...extraNamespaces]);
  }

  open(): string {
    return `<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus${this.namespaces.seal()}>`;
  }

  response(response: MultistatusResponse): string {
    return `<d:response>${responseContent(response).map((n) => this.render(n)).join('')}</d:response>`;
  }

  /** A response with a status instead of propstats (RFC 4918 14.24): deleted members, 507 truncation. */
  status(href: string, status: number, error?: XmlNode): string {
    const nodes: XmlNode[] = [el(dav('href'), href), el(dav('status'), statusLine(status))];
    if (error) nodes.push(el(dav('error'), [error]));
    return `<d:response>${nodes.map((n) => this.render(n)).join('')}</d:response>`;
  }

  /** `trailer`: elements after the last response, such as RFC 6578's DAV:sync-token. */
  close(trailer: XmlNode[] = []): string {
    return `${trailer.map((n) => this.render(n)).join('')}</d:multistatus>\n`;
  }

  private render(node: XmlNode): string {
    return renderNode(node, this.namespaces);
  }
}

/** The children of one DAV:response: its href and a propstat per status that has properties. */
export function responseContent(response: MultistatusResponse): XmlNode[] {
  return [el(dav('href'), response.href), ...propstatNodes(response.propstats)];
}

/** A DAV:propstat per status that has properties, with the condition that failed if any (RFC 4918 14.22). */
export function propstatNodes(propstats: Propstat[]): XmlNode[] {
  return propstats
    .filter((p) => p.props.length > 0)
    .map((p) =>
      el(dav('propstat'), [
        el(
          dav('prop'),
          p.props.map((prop) => (prop.stored === undefined ? el(prop.name, prop.value) : { name: prop.name, markup: prop.stored })),
        ),
        el(dav('status'), statusLine(p.status)),
        ...(p.error ? [el(dav('error'), [el(p.error)])] : []),
      ]),
    );
}

/**
 * Encodes each segment of a decoded server path, keeping the slashes. A `%` in a
 * resource name is part of the name (python-caldav PUTs `a%252Fb.ics` for UID `a/b`), so
 * nothing is decoded first.
 */
export function encodeHref(path: string): string {
  return UNRESERVED_PATH.test(path) ? path : path.split('/').map(encodeURIComponent).join('/');
}

/** Characters encodeURIComponent leaves as they are, and the slash: such a path is its own encoding. */
const UNRESERVED_PATH = /^[A-Za-z0-9\-_.!~*'()/]*$/;

