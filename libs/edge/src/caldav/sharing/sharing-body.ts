import { type FolderRights, type ShareeAddress } from '@davmesh/contracts';
import { calserver, Condition, dav, firstChild, sameName, type XmlElement } from '@davmesh/dav';
import { preconditionError } from '../../http/reply-errors';

/** A sharee as a CS:share names them: the href as written, and whom it names here (none: not a calendar user address). */
export interface ShareeHref {
  href: string;
  sharee?: ShareeAddress;
}

/** CS:set: invite (or change the invitation of) a sharee. */
export interface ShareeSetting extends ShareeHref {
  rights: FolderRights;
  summary?: string;
}

/** A CS:share body (caldav-sharing 5.3.2): its sets and removes in document order. */
export interface ShareRequest {
  set: ShareeSetting[];
  remove: ShareeHref[];
}

/** A CS:invite-reply body (caldav-sharing 5.4.1). */
export interface InviteReply {
  accept: boolean;
  /** CS:in-reply-to: the invitation's CS:uid. */
  inviteUid: string;
  /** CS:hosturl's href: required, as CalendarServer requires it; the invitation is found by its uid. */
  hostUrl: string;
  summary?: string;
}

/** What a CS:summary may hold; longer ones are cut (the bus takes 1024 characters). */
const MAX_SUMMARY = 1024;

const invalid = () => preconditionError(403, Condition.SharingValidRequest);

/** The text of an element's DAV:href, trimmed; undefined when it has none or an empty one. */
function hrefOf(element: XmlElement | undefined): string | undefined {
  const href = element && firstChild(element, dav('href'))?.text.trim();
  return href || undefined;
}

function summaryOf(element: XmlElement): string | undefined {
  const summary = firstChild(element, calserver('summary'))?.text.trim();
  return summary ? summary.slice(0, MAX_SUMMARY) : undefined;
}

/**
 * A CS:share; `whom` tells whom an href names. A CS:set without DAV:href or access (CS:read,
 * CS:read-write), or a CS:remove without DAV:href, is 403 CS:valid-request; so is a body that
 * sets or removes nobody. Other elements are passed over, as CalendarServer does.
 */
export function readShareRequest(root: XmlElement, whom: (href: string) => ShareeAddress | undefined): ShareRequest {
  const request: ShareRequest = { set: [], remove: [] };
  for (const child of root.children) {
    if (sameName(child.name, calserver('set'))) {
      const href = hrefOf(child);
      const rights: FolderRights | undefined = firstChild(child, calserver('read-write')) ? 'write' : firstChild(child, calserver('read')) ? 'read' : undefined;
      if (!href || !rights) throw invalid();
      const summary = summaryOf(child);
      request.set.push({ href, sharee: whom(href), rights, ...(summary ? { summary } : {}) });
    } else if (sameName(child.name, calserver('remove'))) {
      const href = hrefOf(child);
      if (!href) throw invalid();
      request.remove.push({ href, sharee: whom(href) });
    }
  }
  if (request.set.length + request.remove.length === 0) throw invalid();
  return request;
}

/**
 * A DAV:share-resource (draft-pot-webdav-resource-sharing 5.2, as SabreDAV and its clients send
 * it), read into the same request as a CS:share: each DAV:sharee with DAV:read or DAV:read-write
 * access is set, with its DAV:comment as the summary; DAV:no-access removes it. A sharee without
 * DAV:href or a known access is 403 CS:valid-request; so is a body naming nobody.
 */
export function readShareResource(root: XmlElement, whom: (href: string) => ShareeAddress | undefined): ShareRequest {
  const request: ShareRequest = { set: [], remove: [] };
  for (const child of root.children) {
    if (!sameName(child.name, dav('sharee'))) continue;
    const href = hrefOf(child);
    const access = firstChild(child, dav('share-access'));
    if (!href || !access) throw invalid();
    if (firstChild(access, dav('no-access'))) {
      request.remove.push({ href, sharee: whom(href) });
      continue;
    }
    const rights: FolderRights | undefined = firstChild(access, dav('read-write')) ? 'write' : firstChild(access, dav('read')) ? 'read' : undefined;
    if (!rights) throw invalid();
    const comment = firstChild(child, dav('comment'))?.text.trim();
    request.set.push({ href, sharee: whom(href), rights, ...(comment ? { summary: comment.slice(0, MAX_SUMMARY) } : {}) });
  }
  if (request.set.length + request.remove.length === 0) throw invalid();
  return request;
}

/** A CS:invite-reply: CS:invite-accepted or CS:invite-declined, CS:hosturl and CS:in-reply-to, or 403 CS:valid-request. */
export function readInviteReply(root: XmlElement): InviteReply {
  const accepted = firstChild(root, calserver('invite-accepted'));
  const declined = firstChild(root, calserver('invite-declined'));
  const hostUrl = hrefOf(firstChild(root, calserver('hosturl')));
  const inviteUid = firstChild(root, calserver('in-reply-to'))?.text.trim();
  if ((!accepted && !declined) || (accepted && declined) || !hostUrl || !inviteUid) throw invalid();
  const summary = summaryOf(root);
  return { accept: Boolean(accepted), inviteUid, hostUrl, ...(summary ? { summary } : {}) };
}
