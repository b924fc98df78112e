import { type ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { CalendarScheduleFreeBusy, principalUserIdOf, type EffectiveConfig, type FreeBusyAnswer, type FreeBusyRecipient, type User } from '@davmesh/contracts';
import { caldav, Condition, dav, el, Namespaces, NS, renderNode, type XmlNode } from '@davmesh/dav';
import { DEFAULT_ICAL_LIMITS, InvalidCalendarObject, readFreeBusyRequest, type FreeBusyRequest } from '@davmesh/ical';
import { ServerSettingsService } from '../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../http/dav-exchange';
import { preconditionError } from '../http/reply-errors';
import { BodyTooLargeError, readBody } from '../http/request-body';
import { type PostTarget } from '../resources/adapters';
import { CaldavResources } from './caldav-resources';
import { calendarLimits } from './calendar-limits';
import { isCalendarMediaType, MAX_ICALENDAR_BYTES } from './calendar-media';
import { renderFreeBusyReply } from './free-busy-body';

const DAY_MS = 86_400_000;
const SUCCESS = '2.0;Success';
/** RFC 5546 3.6.14: no user by that address here (another context's users are outside, as unknown as a stranger). */
const UNKNOWN = '3.7;Invalid calendar user';

/** One ATTENDEE as written, and whom it names here if anyone. */
interface Attendee {
  address: string;
  recipient?: FreeBusyRecipient;
}

/**
 * RFC 6638 5 (CalDAV scheduling's busy-time request): a POST to the user's schedule outbox of a
 * VFREEBUSY REQUEST whose ORGANIZER is one of the user's calendar user addresses answers 200 with a
 * CALDAV:schedule-response holding, per ATTENDEE, the busy time of a user of the same context as a
 * VFREEBUSY REPLY, or 3.7 for anyone else. Bounded by davmesh.limits.freeBusyAttendees and
 * freeBusyDays; the answer is written as the calendar service's replies arrive.
 */
@Injectable()
export class ScheduleOutbox implements PostTarget {
  readonly kinds = ['schedule-outbox'] as const;

  constructor(
    @Inject(CaldavResources) private readonly resources: CaldavResources,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  async receive(exchange: DavExchange): Promise<void> {
    const { request, response, user } = exchange;
    // 403 for a user without CalDAV; the listing this node holds will do.
    const { config } = await this.resources.open(exchange, []);
    if (!isCalendarMediaType(request)) throw preconditionError(403, Condition.SupportedCalendarData);
    const freeBusy = readRequest(await readCalendarBody(exchange), config);
    const { proxyPrefix } = await this.serverSettings.current();
    const whom = (address: string) => recipientOf(address, exchange.prefix, proxyPrefix);
    if (!isRequester(whom(freeBusy.organizer), user)) throw preconditionError(403, Condition.OrganizerAllowed);
    requireWithinLimits(freeBusy, config);
    const attendees: Attendee[] = freeBusy.attendees.map((address) => ({ address, recipient: whom(address) }));
    const start = new Date(freeBusy.start).toISOString();
    const end = new Date(freeBusy.end).toISOString();
    const writer = new ScheduleResponseWriter(response);
    const write = (attendee: Attendee, answer: FreeBusyAnswer) =>
      writer.write(
        answer.found
          ? scheduleResponse(attendee.address, SUCCESS, renderFreeBusyReply(start, end, answer.busy, { uid: freeBusy.uid, organizer: freeBusy.organizer, attendee: attendee.address }))
          : scheduleResponse(attendee.address, UNKNOWN),
      );
    const recipients = attendees.flatMap((a) => (a.recipient ? [a.recipient] : []));
    const pending: FreeBusyAnswer[] = [];
    let answered = 0;
    // As many answers as a bus reply carries, in the order asked; the rest are asked for again.
    const askOn = async () => {
      const reply = await this.resources.call(CalendarScheduleFreeBusy, { userId: user.userId, start, end, recipients: recipients.slice(answered), limits: calendarLimits(config) });
      if (reply.answers.length === 0) throw new DavHttpError(500, 'the calendar service answered free-busy without progress');
      answered += reply.answers.length;
      pending.push(...reply.answers);
    };
    // The first reply before the head: an unavailable calendar service is still answered 503.
    if (recipients.length > 0) await askOn();
    for (const attendee of attendees) {
      if (!attendee.recipient) {
        await write(attendee, { found: false });
        continue;
      }
      if (pending.length === 0) await askOn();
      await write(attendee, pending.shift()!);
    }
    writer.end();
  }
}

/** The body as text, 403 CALDAV:max-resource-size past the size of a calendar object. */
async function readCalendarBody({ request }: DavExchange): Promise<string> {
  try {
    return await readBody(request, MAX_ICALENDAR_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw preconditionError(403, Condition.CalendarMaxResourceSize);
    throw error;
  }
}

/** The request as read; 403 CALDAV:valid-calendar-data or CALDAV:valid-scheduling-message otherwise. */
function readRequest(text: string, config: EffectiveConfig): FreeBusyRequest {
  try {
    return readFreeBusyRequest(text, { ...DEFAULT_ICAL_LIMITS, ...calendarLimits(config) });
  } catch (error) {
    if (error instanceof InvalidCalendarObject) {
      throw preconditionError(403, error.condition === 'valid-scheduling-message' ? Condition.ValidSchedulingMessage : Condition.ValidCalendarData);
    }
    throw error;
  }
}

/** davmesh.limits.freeBusyAttendees and freeBusyDays: beyond them, 403 DAV:number-of-matches-within-limits, as a multiget of too many hrefs. */
function requireWithinLimits({ attendees, start, end }: FreeBusyRequest, config: EffectiveConfig): void {
  const maxAttendees = Number(config.values['davmesh.limits.freeBusyAttendees'].value);
  const maxDays = Number(config.values['davmesh.limits.freeBusyDays'].value);
  if (attendees.length > maxAttendees || end - start > maxDays * DAY_MS) throw preconditionError(403, Condition.NumberOfMatchesWithinLimits);
}

/**
 * Whom a calendar user address names: `mailto:` an address the directory may know, a URL or path
 * of a principal (calendar-user-address-set lists the principal's; under the prefix, the proxy's
 * or none, as the directory reads them for scheduling) that user; undefined for anything else.
 */
export function recipientOf(address: string, prefix: string, proxyPrefix: string | undefined): FreeBusyRecipient | undefined {
  const mailto = /^mailto:(.+)$/i.exec(address.trim());
  if (mailto) {
    const email = mailto[1].trim();
    return email.length <= 320 ? { email } : undefined;
  }
  const userId = principalUserIdOf(address, proxyPrefix === undefined ? [prefix] : [prefix, proxyPrefix]);
  return userId === undefined ? undefined : { userId };
}

/** Whether the address is one of the user's: their e-mail address (any case) or their principal. */
function isRequester(recipient: FreeBusyRecipient | undefined, user: User): boolean {
  if (!recipient) return false;
  if ('userId' in recipient) return recipient.userId === user.userId;
  return user.email !== null && recipient.email.toLowerCase() === user.email.toLowerCase();
}

/** One CALDAV:response of a schedule-response (RFC 6638 10.2). */
function scheduleResponse(address: string, status: string, calendarData?: string): XmlNode {
  return el(caldav('response'), [
    el(caldav('recipient'), [el(dav('href'), address)]),
    el(caldav('request-status'), status),
    ...(calendarData !== undefined ? [el(caldav('calendar-data'), calendarData)] : []),
  ]);
}

/** A 200 CALDAV:schedule-response written response by response, the head going out with the first. */
class ScheduleResponseWriter {
  private readonly namespaces = new Namespaces([NS.DAV, NS.CALDAV]);
  private started = false;

  constructor(private readonly http: ServerResponse) {}

  async write(node: XmlNode): Promise<void> {
    const opening = this.started ? '' : `<?xml version="1.0" encoding="utf-8"?>\n<cal:schedule-response${this.namespaces.seal()}>`;
    if (!this.started) {
      this.http.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8' });
      this.started = true;
    }
    if (!this.http.write(opening + renderNode(node, this.namespaces))) await new Promise((resolve) => this.http.once('drain', resolve));
  }

  end(): void {
    this.http.end('</cal:schedule-response>\n');
  }
}
