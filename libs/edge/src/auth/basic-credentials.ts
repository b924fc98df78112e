export interface BasicCredentials {
  login: string;
  password: string;
}

/** RFC 7617 2: neither user-id nor password may contain a control character. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** RFC 7617; undefined for a missing or unreadable header. */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  // A trailing NUL would even pass scrypt: its HMAC pads short keys with zero bytes.
  if (CONTROL_CHARACTER.test(decoded)) return undefined;
  return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
