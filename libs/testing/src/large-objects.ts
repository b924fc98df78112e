import { icalUtc } from './caldav';
import { vcalendar, vevent } from './icalendar';
import { vcard } from './carddav';

/** Characters of padding per property: below davmesh.limits.propertyLength's default (256 KiB). */
const PAD_PER_PROPERTY = 200_000;

/** A content line folded at 75 octets (RFC 5545 3.1, RFC 6350 3.2), as clients write long values; ASCII only. */
export function foldLine(line: string): string {
  return line.match(/.{1,74}/g)!.join('\r\n ');
}

/** `X-DAVMESH-PAD` properties, folded, that add about `bytes` octets. */
function padding(bytes: number): string[] {
  const lines: string[] = [];
  for (let left = bytes, i = 0; left > 0; left -= PAD_PER_PROPERTY, i++) {
    lines.push(foldLine(`X-DAVMESH-PAD:${String.fromCharCode(97 + (i % 26)).repeat(Math.min(left, PAD_PER_PROPERTY))}`));
  }
  return lines;
}

/** Tomorrow, fixed when the module loads: inside every sync window, and the same in every call. */
const TOMORROW = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 86_400_000);

/** A one-hour event starting tomorrow of about `bytes` octets (padding properties), for reply-size tests. */
export function largeEventIcs(uid: string, bytes: number): string {
  const end = new Date(TOMORROW.getTime() + 3_600_000);
  return vcalendar(...vevent(uid, `DTSTART:${icalUtc(TOMORROW)}`, `DTEND:${icalUtc(end)}`, `SUMMARY:${uid}`, ...padding(bytes)));
}

/** largeEventIcs as a daily series of `count` occurrences. */
export function largeSeriesIcs(uid: string, bytes: number, count: number): string {
  return largeEventIcs(uid, bytes).replace(/(DTEND:[0-9TZ]+)/, `$1\r\nRRULE:FREQ=DAILY;COUNT=${count}`);
}

/** A vCard 3.0 of about `bytes` octets (a long NOTE), for reply-size tests; at most 256 KiB are stored. */
export function largeVcard(uid: string, bytes: number): string {
  return vcard(uid, uid, [foldLine(`NOTE:${'n'.repeat(bytes)}`)]);
}

/** A calendar-multiget (or, with `carddav`, addressbook-multiget) body asking for the data of `hrefs`. */
export function multigetBody(hrefs: string[], protocol: 'caldav' | 'carddav' = 'caldav'): string {
  const [root, ns, data] = protocol === 'caldav' ? ['calendar-multiget', 'urn:ietf:params:xml:ns:caldav', 'calendar-data'] : ['addressbook-multiget', 'urn:ietf:params:xml:ns:carddav', 'address-data'];
  return `<C:${root} xmlns="DAV:" xmlns:C="${ns}"><prop><getetag/><C:${data}/></prop>${hrefs.map((h) => `<href>${h}</href>`).join('')}</C:${root}>`;
}
