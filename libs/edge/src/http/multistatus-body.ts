import { type ServerResponse } from 'node:http';
import { MultistatusWriter, type MultistatusResponse, type XmlNode } from '@davmesh/dav';
import { DAV_COMPLIANCE } from './dav-headers';

/** Above this many characters pending, the body goes out as a chunk. */
const FLUSH_AT = 64 * 1024;

/**
 * A 207 Multi-Status body built response by response. Small answers (a multiget, a short
 * query) leave in one write with a Content-Length; large ones stream in ~64 KiB chunks,
 * waiting for the client to drain, so a 20,000-object listing never sits in memory. Until
 * the first chunk leaves, a failure can still answer with its own status.
 */
export class MultistatusBody {
  private readonly xml = new MultistatusWriter();
  private pending: string[];
  private pendingLength: number;
  private streaming = false;

  constructor(private readonly http: ServerResponse) {
    const open = this.xml.open();
    this.pending = [open];
    this.pendingLength = open.length;
  }

  /** The XML of one DAV:response; add it with `write`. */
  response(response: MultistatusResponse): string {
    return this.xml.response(response);
  }

  /** The XML of a response with a status instead of propstats (RFC 4918 14.24). */
  status(href: string, status: number, error?: XmlNode): string {
    return this.xml.status(href, status, error);
  }

  async write(xml: string): Promise<void> {
    this.pending.push(xml);
    this.pendingLength += xml.length;
    if (this.pendingLength >= FLUSH_AT) await this.flush();
  }

  /** Closes the multistatus, with `trailer` elements (RFC 6578's sync-token) after the last response. */
  end(trailer: XmlNode[] = []): void {
    this.pending.push(this.xml.close(trailer));
    const rest = this.pending.join('');
    if (!this.streaming) {
      this.writeHead();
      this.http.setHeader('Content-Length', Buffer.byteLength(rest));
    }
    this.http.end(rest);
  }

  private async flush(): Promise<void> {
    if (!this.streaming) {
      this.writeHead();
      this.streaming = true;
    }
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (!this.http.write(chunk)) await new Promise((resolve) => this.http.once('drain', resolve));
  }

  private writeHead(): void {
    this.http.statusCode = 207;
    this.http.setHeader('Content-Type', 'application/xml; charset=utf-8');
    this.http.setHeader('DAV', DAV_COMPLIANCE);
  }
}
