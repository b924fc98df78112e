/** An SMTP relay as `davmesh.imip.smtp.url` names it. */
export interface SmtpRelay {
  /** smtps: TLS from the first byte (port 465 unless given); smtp: plain, upgraded with STARTTLS when offered. */
  secure: boolean;
  host: string;
  port: number;
  auth?: { user: string; pass: string };
}

/**
 * `smtp://host[:port]` or `smtps://[user:password@]host[:port]`, user and password
 * percent-encoded. Throws a SyntaxError saying what is wrong; the empty string is no relay.
 */
export function parseSmtpUrl(text: string): SmtpRelay | undefined {
  if (text.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new SyntaxError(`"${redactSmtpUrl(text)}" is not a URL such as smtp://mail.example.org:587`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new SyntaxError(`the scheme is smtp or smtps, not ${url.protocol.replace(/:$/, '')}`);
  if (!url.hostname) throw new SyntaxError('the URL names no host');
  if ((url.pathname && url.pathname !== '/') || url.search || url.hash) throw new SyntaxError('an SMTP URL has no path, query or fragment');
  const secure = url.protocol === 'smtps:';
  const relay: SmtpRelay = { secure, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port ? Number(url.port) : secure ? 465 : 25 };
  if (url.username || url.password) {
    if (!url.username) throw new SyntaxError('a password needs a user name');
    relay.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  }
  return relay;
}

/** The URL with its password replaced, for messages and logs. */
export function redactSmtpUrl(text: string): string {
  return text.replace(/^(smtps?:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

/** An addr-spec as iMIP needs one (RFC 5322 3.4.1, without comments or quoted local parts): `local@domain`. */
export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(text);
}

/**
 * The e-mail address a calendar user address stands for: `mailto:` (any case) taken off, any
 * `?` headers dropped, lower-cased; undefined when it is not an e-mail address (an `urn:`, an
 * `http:` principal, garbage).
 */
export function emailOfCalendarAddress(address: string): string | undefined {
  const trimmed = address.trim();
  const bare = /^mailto:/i.test(trimmed) ? decodeMailto(trimmed.slice(7).split('?')[0]) : trimmed;
  if (bare === undefined || !isEmailAddress(bare)) return undefined;
  return bare.toLowerCase();
}

function decodeMailto(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
