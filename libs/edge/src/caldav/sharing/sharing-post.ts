import { type IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { CalendarSharingRespond, CalendarSharingShare, type SharingLimits } from '@davmesh/contracts';
import { calserver, Condition, dav, el, encodeHref, parseXml, renderDocument, sameName, type XmlElement } from '@davmesh/dav';
import { ServerSettingsService } from '../../config/server-settings.service';
import { DavHttpError, type DavExchange } from '../../http/dav-exchange';
import { preconditionError } from '../../http/reply-errors';
import { readXmlText, xmlBodyLimits } from '../../http/request-body';
import { startMultistatus } from '../../reports/report-request';
import { type PostTarget } from '../../resources/adapters';
import { CaldavResources } from '../caldav-resources';
import { recipientOf } from '../schedule-outbox';
import { readInviteReply, readShareRequest, readShareResource, type ShareRequest } from './sharing-body';
import { hrefNode, sharedCalendarHref, sharingLimits } from './sharing-hrefs';

/**
 * calendarserver-sharing's POSTs (docs/sharing.md): CS:share (or the WebDAV resource-sharing draft's
 * DAV:share-resource, as SabreDAV's clients send it) to a calendar of one's own invites,
 * changes and removes sharees (200, or a 207 naming the sharees refused, 403 each, and the others
 * 424: nothing is changed); CS:invite-reply to one's calendar home accepts (200 with CS:shared-as)
 * or declines (204) an invitation. Anything else POSTed there is 403 CS:valid-request (an XML body
 * it cannot serve) or 415.
 */
@Injectable()
export class SharingPost implements PostTarget {
  readonly kinds = ['calendar', 'calendar-home'] as const;

  constructor(
    @Inject(CaldavResources) private readonly resources: CaldavResources,
    @Inject(ServerSettingsService) private readonly serverSettings: ServerSettingsService,
  ) {}

  async receive(exchange: DavExchange): Promise<void> {
    const { request, resource } = exchange;
    // 403 for a user without CalDAV, 404 for a calendar they do not have, before the body is read.
    const scope = await this.resources.open(exchange);
    const view = resource.kind === 'calendar' ? this.resources.collection(scope, resource) : undefined;
    if (!isXml(request)) throw new DavHttpError(415, 'POST here takes an XML body: CS:share on a calendar, CS:invite-reply on the calendar home');
    const settings = await this.serverSettings.current();
    const limits = xmlBodyLimits(settings);
    const body = await parseXml(await readXmlText(request, limits), limits);
    const sharing = sharingLimits(scope.config);
    const shareBody = sameName(body.name, calserver('share')) ? readShareRequest : sameName(body.name, dav('share-resource')) ? readShareResource : undefined;
    if (view && shareBody) {
      const whom = (href: string) => recipientOf(href, exchange.prefix, settings.proxyPrefix);
      await this.share(exchange, view.folder.folderId, withinLimit(shareBody(body, whom), sharing.shareesPerCalendar), sharing);
      return;
    }
    if (!view && sameName(body.name, calserver('invite-reply'))) {
      await this.reply(exchange, body, sharing);
      return;
    }
    throw preconditionError(403, Condition.SharingValidRequest);
  }

  private async share(exchange: DavExchange, folderId: number, request: ShareRequest, limits: SharingLimits): Promise<void> {
    const { user, response } = exchange;
    const unnamed = request.set.flatMap((entry, index) => (entry.sharee ? [] : [index]));
    // An href that is no calendar user address names nobody: refused at once, as the service would refuse an unknown address.
    if (unnamed.length > 0) return writeRefusals(exchange, request, new Set(unnamed));
    const outcome = await this.resources.call(CalendarSharingShare, {
      userId: user.userId,
      folderId,
      set: request.set.map(({ sharee, rights, summary }) => ({ sharee: sharee!, rights, ...(summary ? { summary } : {}) })),
      remove: request.remove.flatMap(({ sharee }) => (sharee ? [{ sharee }] : [])),
      limits,
    }).catch((error: unknown) => {
      // Too many sharees on the calendar: refused like too many in the request, not as a REPORT's 507.
      if (error instanceof DavHttpError && error.status === 507) throw preconditionError(403, Condition.NumberOfMatchesWithinLimits);
      throw error;
    });
    if (!outcome.applied) return writeRefusals(exchange, request, new Set(outcome.refused.map((r) => r.index)));
    response.writeHead(200, { 'Cache-Control': 'no-cache', 'Content-Length': '0' });
    response.end();
  }

  private async reply(exchange: DavExchange, body: XmlElement, limits: SharingLimits): Promise<void> {
    const { user, response, prefix } = exchange;
    const reply = readInviteReply(body);
    // No invitation has a uid that long: the answer the service would give.
    if (reply.inviteUid.length > 128) throw preconditionError(403, Condition.InvalidShare);
    const { folderId } = await this.resources.call(CalendarSharingRespond, {
      userId: user.userId,
      inviteUid: reply.inviteUid,
      accept: reply.accept,
      ...(reply.summary ? { summary: reply.summary } : {}),
      limits,
    });
    if (!reply.accept) {
      response.writeHead(204, { 'Cache-Control': 'no-cache' });
      response.end();
      return;
    }
    const text = renderDocument(el(calserver('shared-as'), [hrefNode(encodeHref(sharedCalendarHref(prefix, folderId)))]));
    response.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), 'Cache-Control': 'no-cache' });
    response.end(text);
  }
}

/** A share request within davmesh.limits.shareesPerCalendar entries (403 DAV:number-of-matches-within-limits beyond). */
function withinLimit(request: ShareRequest, maxEntries: number): ShareRequest {
  if (request.set.length + request.remove.length > maxEntries) throw preconditionError(403, Condition.NumberOfMatchesWithinLimits);
  return request;
}

/**
 * CalendarServer's answer to a CS:share it did not apply: 207, each refused sharee 403, every
 * other one 424 (it failed for the others' sake); hrefs as the client wrote them.
 */
async function writeRefusals({ response }: DavExchange, request: ShareRequest, refused: ReadonlySet<number>): Promise<void> {
  const writer = startMultistatus(response);
  for (const [index, { href }] of request.set.entries()) await writer.write(writer.status(href, refused.has(index) ? 403 : 424));
  for (const { href } of request.remove) await writer.write(writer.status(href, 424));
  writer.end();
}

/** An XML body by its media type: application/xml or text/xml, any parameters. */
function isXml(request: IncomingMessage): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/xml' || type === 'text/xml';
}
