/** One `<response>` of a multistatus, as much of it as the load checks read. */
export interface MemberAnswer {
  /** Last path segment of the href, decoded (`e12.ics`); empty for a collection's own href. */
  name: string;
  etag: string;
  status507: boolean;
}

const RESPONSE = /<(?:[\w-]+:)?response[\s>]/g;
const HREF = /<(?:[\w-]+:)?href>\s*([^<]*?)\s*<\/(?:[\w-]+:)?href>/;
const ETAG = /<(?:[\w-]+:)?getetag>\s*([^<\s][^<]*?)\s*<\/(?:[\w-]+:)?getetag>/;

/**
 * The responses of a multistatus, read with regular expressions rather than an XML parser:
 * the load driver runs on the same two cores as the servers, and must cost them little.
 */
function responsesOf(text: string): MemberAnswer[] {
  const starts = [...text.matchAll(RESPONSE)].map((m) => m.index!);
  return starts.map((start, k) => {
    const block = text.slice(start, starts[k + 1] ?? text.length);
    const href = HREF.exec(block)?.[1] ?? '';
    const segment = href.replace(/\/$/, '').split('/').pop() ?? '';
    return { name: href.endsWith('/') ? '' : safeDecode(segment), etag: ETAG.exec(block)?.[1] ?? '', status507: /HTTP\/1\.[01] 507/.test(block) };
  });
}

/** An answer's body as bytes, and as text when a check must read it. */
export interface AnswerBody {
  body: Buffer;
  text: string;
}

/**
 * What was read of the last few answers, by their bytes: servers repeat the same body under
 * load, and reading 2,000 responses again each time (or even making the body a string) would make
 * the driver, not the server, the limit; comparing bytes is far cheaper.
 */
function remembered<T>(recent: { body: Buffer; value: T }[], answer: AnswerBody, read: (text: string) => T): T {
  const known = recent.find((r) => r.body.equals(answer.body));
  if (known) return known.value;
  const value = read(answer.text);
  if (recent.length >= 8) recent.shift();
  recent.push({ body: answer.body, value });
  return value;
}

const recentMembers: { body: Buffer; value: MemberAnswer[] }[] = [];

/** Members (not the collection itself) answered with an ETag. */
export function membersWithEtag(answer: AnswerBody): MemberAnswer[] {
  return remembered(recentMembers, answer, (text) => responsesOf(text).filter((r) => r.name !== '' && r.etag !== ''));
}

/** A sync-collection page as the load checks read it. */
export interface SyncPage {
  members: MemberAnswer[];
  /** A 507 response: more pages follow. */
  truncated: boolean;
  token: string;
}

const recentPages: { body: Buffer; value: SyncPage }[] = [];
const SYNC_TOKEN = /<(?:[\w-]+:)?sync-token>\s*([^<\s]+)\s*<\/(?:[\w-]+:)?sync-token>/;

export function syncPageOf(answer: AnswerBody): SyncPage {
  return remembered(recentPages, answer, (text) => {
    const responses = responsesOf(text);
    return { members: responses.filter((r) => r.name !== '' && r.etag !== ''), truncated: responses.some((r) => r.status507), token: SYNC_TOKEN.exec(text)?.[1] ?? '' };
  });
}

export function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
