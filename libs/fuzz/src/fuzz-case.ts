/**
 * One fuzz input: an HTTP request as a template. Paths and header values may hold placeholders
 * the driver fills in per lane, so a saved case replays against any server:
 * `{calendar}` `{tasks}` `{book}` (a lane's collections, with trailing slash), `{calendar-seed}`
 * `{tasks-seed}` `{book-seed}` (the seed object in each), `{calendar-home}` `{book-home}`,
 * `{origin}` (scheme://host:port), `{host}`, `{seed-etag}` (ETag of the seed in the collection the
 * path names), `{lane-basic}` (the lane user's Basic credentials).
 */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body as text (sent as UTF-8), or as bytes when it must not be valid UTF-8. */
  body?: string;
  bodyBase64?: string;
}

export type FuzzKind = 'icalendar' | 'vcard' | 'xml' | 'headers';

export interface FuzzCase {
  kind: FuzzKind;
  /** What the input is: the seed it grew from and the mutations applied, e.g. `weekly-series+drop-line`. */
  label: string;
  request: FuzzRequest;
}
