import { parseXml } from '@davmesh/dav';
import { DavHttpError } from '../../http/dav-exchange';
import { recipientOf } from '../schedule-outbox';
import { readInviteReply, readShareRequest } from './sharing-body';

const whom = (href: string) => recipientOf(href, '/dav', undefined);

/** The refusal a body gets: its status and the condition it names. */
async function refusal(read: () => unknown): Promise<string> {
  try {
    read();
    return 'read';
  } catch (error) {
    return error instanceof DavHttpError ? `${error.status} ${/<cs:([a-z-]+)\/>/.exec(error.body ?? '')?.[1]}` : String(error);
  }
}

describe('calendarserver-sharing request bodies', () => {
  it('reads a CS:share as CalendarServer\'s tests send it: sets with summary and access, removes, hrefs as mailto: or principal', async () => {
    const body = await parseXml(`<?xml version="1.0" encoding="utf-8" ?>
<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">
    <CS:set>
        <D:href>mailto:eric@example.com</D:href>
        <CS:common-name>Eric York</CS:common-name>
        <CS:summary>Shared workspace</CS:summary>
        <CS:read-write />
    </CS:set>
    <CS:set>
        <D:href>/dav/principals/users/12/</D:href>
        <CS:read/>
    </CS:set>
    <CS:remove>
        <D:href>mailto:wilfredo@example.com</D:href>
    </CS:remove>
    <CS:remove>
        <D:href>urn:x-uid:10000000-0000-0000-0000-000000000002</D:href>
    </CS:remove>
</CS:share>`);
    expect(readShareRequest(body, whom)).toEqual({
      set: [
        { href: 'mailto:eric@example.com', sharee: { email: 'eric@example.com' }, rights: 'write', summary: 'Shared workspace' },
        { href: '/dav/principals/users/12/', sharee: { userId: 12 }, rights: 'read' },
      ],
      remove: [
        { href: 'mailto:wilfredo@example.com', sharee: { email: 'wilfredo@example.com' } },
        { href: 'urn:x-uid:10000000-0000-0000-0000-000000000002', sharee: undefined },
      ],
    });
  });

  it('refuses a CS:set without href or access, a CS:remove without href, and a share that changes nobody: 403 CS:valid-request', async () => {
    const share = async (inner: string) => parseXml(`<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">${inner}</CS:share>`);
    const noAccess = await share('<CS:set><D:href>mailto:a@example.org</D:href><CS:summary>x</CS:summary></CS:set>');
    const noHref = await share('<CS:set><D:href> </D:href><CS:read/></CS:set>');
    const removeNobody = await share('<CS:remove><CS:summary>x</CS:summary></CS:remove>');
    const empty = await share('<CS:summary>nothing</CS:summary>');
    for (const body of [noAccess, noHref, removeNobody, empty]) expect(await refusal(() => readShareRequest(body, whom))).toBe('403 valid-request');
  });

  it('reads a CS:invite-reply as macOS Calendar sends it, and one without a reply uid or host URL is 403 CS:valid-request', async () => {
    const reply = await parseXml(`<?xml version="1.0" encoding="UTF-8"?>
<C:invite-reply xmlns:C="http://calendarserver.org/ns/">
  <A:href xmlns:A="DAV:">urn:x-uid:10000000-0000-0000-0000-000000000002</A:href>
  <C:invite-accepted/>
  <C:hosturl>
    <A:href xmlns:A="DAV:">/calendars/__uids__/10000000-0000-0000-0000-000000000001/A1DDC58B-651E-4B1C-872A-C6588CA09ADB</A:href>
  </C:hosturl>
  <C:in-reply-to>d2683fa9-7a50-4390-82bb-cbcea5e0fa86</C:in-reply-to>
  <C:summary>to share</C:summary>
</C:invite-reply>`);
    expect(readInviteReply(reply)).toEqual({
      accept: true,
      inviteUid: 'd2683fa9-7a50-4390-82bb-cbcea5e0fa86',
      hostUrl: '/calendars/__uids__/10000000-0000-0000-0000-000000000001/A1DDC58B-651E-4B1C-872A-C6588CA09ADB',
      summary: 'to share',
    });
    const without = async (inner: string) => parseXml(`<invite-reply xmlns="http://calendarserver.org/ns/">${inner}</invite-reply>`);
    const noUid = await without('<invite-declined/><hosturl><href xmlns="DAV:">/x/</href></hosturl>');
    const noHost = await without('<invite-declined/><in-reply-to>u</in-reply-to>');
    const both = await without('<invite-accepted/><invite-declined/><hosturl><href xmlns="DAV:">/x/</href></hosturl><in-reply-to>u</in-reply-to>');
    for (const body of [noUid, noHost, both]) expect(await refusal(() => readInviteReply(body))).toBe('403 valid-request');
    const declined = await without('<invite-declined/><hosturl><href xmlns="DAV:">/x/</href></hosturl><in-reply-to>u</in-reply-to>');
    expect(readInviteReply(declined)).toEqual({ accept: false, inviteUid: 'u', hostUrl: '/x/' });
  });
});
