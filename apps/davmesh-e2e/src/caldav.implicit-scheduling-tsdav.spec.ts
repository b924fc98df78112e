import { ConfigSet, ConfigUnset, type User } from '@davmesh/contracts';
import { type DAVCalendar, type DAVCalendarObject } from 'tsdav';
import {
  APPLE_CALENDAR_UA,
  caldavClient,
  icalUtc,
  DAVX5_UA,
  eventually,
  parseMultistatus,
  partstatOf,
  scheduleStatusOf,
  THUNDERBIRD_UA,
  vcalendar,
  vevent,
  withPartstat,
} from '@davmesh/testing';
import { dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const CALDAV = 'urn:ietf:params:xml:ns:caldav';
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const INBOX = '/dav/caldav/inbox/';
const at = (who: string) => `${who}@example.org`;
/** A time `days` after a day two weeks from now (inside the sync window clients see), at `hour` UTC. */
const DAY = Math.floor(Date.now() / 86_400_000) + 14;
const time = (days: number, hour: number, minute = 0) => icalUtc(new Date((DAY + days) * 86_400_000 + hour * 3_600_000 + minute * 60_000));
const [START, END] = [time(0, 9), time(0, 10)];
const organizer = (who: string) => `ORGANIZER;CN=${who}:mailto:${at(who)}`;
/** An ATTENDEE line as clients write it for an invitation. */
const invited = (who: string) => `ATTENDEE;CN=${who};CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:${at(who)}`;
const chair = (who: string) => `ATTENDEE;CN=${who};PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:${at(who)}`;
const meeting = (uid: string, from: string, ...lines: string[]) =>
  vcalendar(...vevent(uid, 'SUMMARY:Budget review', `DTSTART:${START}`, `DTEND:${END}`, 'SEQUENCE:0', organizer(from), ...lines));

describe('RFC 6638 implicit scheduling over HTTP, with a real client (tsdav), between the users of a context', () => {
  const server = sharedNodePerSuite();
  let olga: User;
  let bert: User;
  let cleo: User;
  const raw = (user: User) => dav(server().url, user.login, 'pw');
  const client = (user: User, agent = DAVX5_UA) => caldavClient(server().url, user.login, 'pw', agent);
  const calendarOf = async (user: User, agent?: string): Promise<DAVCalendar> => (await (await client(user, agent)).fetchCalendars()).find((c) => c.displayName === 'Calendar')!;
  /** The user's copy of an event, as their client reads it from their calendar. */
  const copyOf = async (user: User, uid: string): Promise<DAVCalendarObject | undefined> => {
    const objects = await (await client(user)).fetchCalendarObjects({ calendar: await calendarOf(user) });
    return objects.find((o) => String(o.data).includes(`UID:${uid}\r\n`));
  };
  /** The iTIP messages of one UID in the user's schedule inbox: PROPFIND Depth 1 and GET (tsdav has no call for the inbox). */
  const inboxOf = async (user: User, uid: string): Promise<string[]> => {
    const listing = await parseMultistatus((await raw(user)('PROPFIND', INBOX, { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>')).text);
    const messages = await Promise.all(listing.filter((r) => r.href !== INBOX).map(async (r) => (await raw(user)('GET', r.href)).text));
    return messages.filter((m) => m.includes(`UID:${uid}\r\n`));
  };
  const methods = async (user: User, uid: string) => (await inboxOf(user, uid)).map((m) => /METHOD:(\w+)/.exec(m)![1]).sort();

  beforeAll(async () => {
    olga = await server().addUser('olga', 'pw');
    bert = await server().addUser('bert', 'pw');
    cleo = await server().addUser('cleo', 'pw');
  }, 60_000);

  it('says calendar-auto-schedule and publishes the mailto: address clients write as ORGANIZER; calendars say how many attendees they take', async () => {
    const options = await raw(olga)('OPTIONS', '/dav/caldav/');
    expect(options.headers['dav']).toContain('calendar-auto-schedule');
    const tsdav = await client(olga, APPLE_CALENDAR_UA);
    // The client's own account (found by discovery when it was made) is the default.
    const addresses = await tsdav.fetchCalendarUserAddresses({} as Parameters<typeof tsdav.fetchCalendarUserAddresses>[0]);
    expect(addresses).toContain(`mailto:${at('olga')}`);
    const calendar = await calendarOf(olga);
    const [props] = await parseMultistatus(
      (await raw(olga)('PROPFIND', new URL(calendar.url).pathname, { Depth: '0' }, `<propfind xmlns="DAV:" xmlns:C="${CALDAV}"><prop><C:max-attendees-per-instance/></prop></propfind>`)).text,
    );
    expect(props.found.get(`{${CALDAV}}max-attendees-per-instance`)?.text).toBe('1000');
  });

  it("invites two colleagues: each finds it in their calendar (NEEDS-ACTION) and inbox; one accepts, one declines by deleting, and the organizer's copy says so", async () => {
    const organizerClient = await client(olga, THUNDERBIRD_UA);
    const created = await organizerClient.createCalendarObject({
      calendar: await calendarOf(olga, THUNDERBIRD_UA),
      filename: 'budget.ics',
      iCalString: meeting('budget-1', 'olga', chair('olga'), invited('bert'), invited('cleo')),
    });
    expect(created.status).toBe(201);
    // The server stored SCHEDULE-STATUS on each attendee: not the body, so no ETag (RFC 4791 5.3.4).
    expect(created.headers.get('etag')).toBeNull();
    expect(created.headers.get('schedule-tag')).toMatch(/^"[\w-]+"$/);

    for (const who of [bert, cleo]) {
      const copy = await copyOf(who, 'budget-1');
      expect(partstatOf(String(copy?.data), at(who.login.split('-')[0]))).toBe('NEEDS-ACTION');
      expect(String(copy?.data)).toContain('SUMMARY:Budget review');
      expect(await methods(who, 'budget-1')).toEqual(['REQUEST']);
    }
    const sent = String((await copyOf(olga, 'budget-1'))!.data);
    expect([scheduleStatusOf(sent, at('bert')), scheduleStatusOf(sent, at('cleo'))]).toEqual(['1.2', '1.2']);

    // Bert accepts in his client: a PUT of his copy with his PARTSTAT changed.
    const bertCopy = (await copyOf(bert, 'budget-1'))!;
    const accepted = await (await client(bert)).updateCalendarObject({ calendarObject: { ...bertCopy, data: withPartstat(String(bertCopy.data), at('bert'), 'ACCEPTED') } });
    expect(accepted.status).toBe(204);
    // Cleo declines by deleting the invitation.
    const cleoCopy = (await copyOf(cleo, 'budget-1'))!;
    expect((await (await client(cleo)).deleteCalendarObject({ calendarObject: cleoCopy })).status).toBe(204);
    expect(await copyOf(cleo, 'budget-1')).toBeUndefined();

    const answered = String((await copyOf(olga, 'budget-1'))!.data);
    expect([partstatOf(answered, at('bert')), partstatOf(answered, at('cleo')), partstatOf(answered, at('olga'))]).toEqual(['ACCEPTED', 'DECLINED', 'ACCEPTED']);
    expect([scheduleStatusOf(answered, at('bert')), scheduleStatusOf(answered, at('cleo'))]).toEqual(['2.0', '2.0']);
    expect(await methods(olga, 'budget-1')).toEqual(['REPLY', 'REPLY']);
    expect(scheduleStatusOf(String((await copyOf(bert, 'budget-1'))!.data), at('olga'), 'ORGANIZER')).toBe('1.2');
  });

  it('reschedules (the attendee is asked again) and cancels (the copy stays, cancelled, until the attendee deletes it)', async () => {
    const organizerClient = await client(olga);
    await organizerClient.createCalendarObject({ calendar: await calendarOf(olga), filename: 'sync.ics', iCalString: meeting('sync-1', 'olga', chair('olga'), invited('bert')) });
    const bertCopy = (await copyOf(bert, 'sync-1'))!;
    await (await client(bert)).updateCalendarObject({ calendarObject: { ...bertCopy, data: withPartstat(String(bertCopy.data), at('bert'), 'ACCEPTED') } });
    expect(partstatOf(String((await copyOf(olga, 'sync-1'))!.data), at('bert'))).toBe('ACCEPTED');

    const own = (await copyOf(olga, 'sync-1'))!;
    const moved = String(own.data).replace(`DTSTART:${START}`, `DTSTART:${time(1, 14)}`).replace(`DTEND:${END}`, `DTEND:${time(1, 15)}`);
    expect((await organizerClient.updateCalendarObject({ calendarObject: { ...own, data: moved } })).status).toBe(204);
    const rescheduled = String((await copyOf(bert, 'sync-1'))!.data);
    expect(rescheduled).toContain(`DTSTART:${time(1, 14)}`);
    expect(partstatOf(rescheduled, at('bert'))).toBe('NEEDS-ACTION');
    expect(rescheduled).toMatch(/SEQUENCE:[1-9]/);

    expect((await organizerClient.deleteCalendarObject({ calendarObject: (await copyOf(olga, 'sync-1'))! })).status).toBe(204);
    expect(String((await copyOf(bert, 'sync-1'))!.data)).toContain('STATUS:CANCELLED');
    expect(await methods(bert, 'sync-1')).toEqual(['CANCEL', 'REQUEST', 'REQUEST']);
  });

  it('schedules a weekly meeting with one moved instance: the attendee sees the move, and their decline of one instance reaches the organizer', async () => {
    const weekly = vcalendar(
      ...vevent('weekly-1', 'SUMMARY:Stand-up', `DTSTART:${time(0, 8)}`, `DTEND:${time(0, 8, 15)}`, 'RRULE:FREQ=WEEKLY;COUNT=8', organizer('olga'), chair('olga'), invited('bert'), invited('cleo')),
      ...vevent('weekly-1', 'SUMMARY:Stand-up (moved)', `RECURRENCE-ID:${time(7, 8)}`, `DTSTART:${time(8, 12)}`, `DTEND:${time(8, 12, 15)}`, organizer('olga'), chair('olga'), invited('bert'), invited('cleo')),
    );
    expect((await (await client(olga)).createCalendarObject({ calendar: await calendarOf(olga), filename: 'standup.ics', iCalString: weekly })).status).toBe(201);
    const bertCopy = (await copyOf(bert, 'weekly-1'))!;
    const text = String(bertCopy.data);
    expect(text).toContain('RRULE:FREQ=WEEKLY;COUNT=8');
    expect(text).toContain('SUMMARY:Stand-up (moved)');
    expect(text).toContain(`DTSTART:${time(8, 12)}`);

    // Bert accepts the series but declines the moved instance.
    const answer = withPartstat(withPartstat(text, at('bert'), 'ACCEPTED', 0), at('bert'), 'DECLINED', 1);
    expect((await (await client(bert)).updateCalendarObject({ calendarObject: { ...bertCopy, data: answer } })).status).toBe(204);
    const own = String((await copyOf(olga, 'weekly-1'))!.data);
    expect([partstatOf(own, at('bert')), partstatOf(own, at('bert'), time(7, 8))]).toEqual(['ACCEPTED', 'DECLINED']);
    expect([partstatOf(own, at('cleo')), partstatOf(own, at('cleo'), time(7, 8))]).toEqual(['NEEDS-ACTION', 'NEEDS-ACTION']);
  });

  it('answers Schedule-Tag on GET and PUT (and as CALDAV:schedule-tag), refuses a stale If-Schedule-Tag-Match, and keeps replies through a tag that matches', async () => {
    const send = raw(olga);
    const href = `${new URL((await calendarOf(olga)).url).pathname}review.ics`;
    const put = await send('PUT', href, ICS, meeting('review-1', 'olga', chair('olga'), invited('bert')));
    expect(put.status).toBe(201);
    const tag = put.headers['schedule-tag'];
    const got = await send('GET', href);
    expect([got.headers['schedule-tag'], got.headers['etag']]).toEqual([tag, expect.stringMatching(/^"/)]);
    const [props] = await parseMultistatus((await send('PROPFIND', href, { Depth: '0' }, `<propfind xmlns="DAV:" xmlns:C="${CALDAV}"><prop><C:schedule-tag/><getetag/></prop></propfind>`)).text);
    expect(props.found.get(`{${CALDAV}}schedule-tag`)?.text).toBe(tag);

    // Bert accepts: the organizer's copy changes (its ETag), its Schedule-Tag does not (RFC 6638 3.2.10).
    const bertCopy = (await copyOf(bert, 'review-1'))!;
    await (await client(bert)).updateCalendarObject({ calendarObject: { ...bertCopy, data: withPartstat(String(bertCopy.data), at('bert'), 'ACCEPTED') } });
    const after = await send('GET', href);
    expect(after.headers['etag']).not.toBe(got.headers['etag']);
    expect(after.headers['schedule-tag']).toBe(tag);

    // The organizer's client edits what it read before the reply, under the tag it has: stored, and bert's answer kept.
    const stale = await send('PUT', href, { ...ICS, 'If-Schedule-Tag-Match': '"an-old-tag"' }, meeting('review-1', 'olga', chair('olga'), invited('bert'), 'LOCATION:Room 4'));
    expect(stale.status).toBe(412);
    const edited = await send('PUT', href, { ...ICS, 'If-Schedule-Tag-Match': tag }, meeting('review-1', 'olga', chair('olga'), invited('bert'), 'LOCATION:Room 4'));
    expect(edited.status).toBe(204);
    expect(edited.headers['schedule-tag']).not.toBe(tag);
    const merged = (await send('GET', href)).text;
    expect(merged).toContain('LOCATION:Room 4');
    expect(partstatOf(merged, at('bert'))).toBe('ACCEPTED');
    expect(String((await copyOf(bert, 'review-1'))!.data)).toContain('LOCATION:Room 4');
    expect((await send('PUT', href, { ...ICS, 'If-Schedule-Tag-Match': 'unquoted' }, merged)).status).toBe(400);

    // A plain event is no scheduling object: no Schedule-Tag.
    const plain = await send('PUT', `${new URL((await calendarOf(olga)).url).pathname}plain.ics`, ICS, vcalendar(...vevent('plain-1', `DTSTART:${START}`, `DTEND:${END}`)));
    expect([plain.status, plain.headers['schedule-tag'], plain.headers['etag']]).toEqual([201, undefined, expect.stringMatching(/^"/)]);
  });

  it("refuses an attendee's change the organizer owns (403 allowed-attendee-scheduling-object-change); Schedule-Reply: F deletes without a reply", async () => {
    await (await client(olga)).createCalendarObject({ calendar: await calendarOf(olga), filename: 'retro.ics', iCalString: meeting('retro-1', 'olga', chair('olga'), invited('bert'), invited('cleo')) });
    const bertCopy = (await copyOf(bert, 'retro-1'))!;
    const bertHref = new URL(bertCopy.url).pathname;
    const refused = await raw(bert)('PUT', bertHref, ICS, String(bertCopy.data).replace(`DTSTART:${START}`, `DTSTART:${time(0, 7)}`));
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('allowed-attendee-scheduling-object-change');
    expect(String((await copyOf(bert, 'retro-1'))!.data)).toContain(`DTSTART:${START}`);

    const cleoCopy = (await copyOf(cleo, 'retro-1'))!;
    expect((await raw(cleo)('DELETE', new URL(cleoCopy.url).pathname, { 'Schedule-Reply': 'F' })).status).toBe(204);
    expect(partstatOf(String((await copyOf(olga, 'retro-1'))!.data), at('cleo'))).toBe('NEEDS-ACTION');
    expect(await methods(olga, 'retro-1')).toEqual([]);
  });

  it('schedules with users written as their principal URLs (calendar-user-address-set lists them): the invitation, the answer, the cancellation', async () => {
    const tsdav = await client(olga, APPLE_CALENDAR_UA);
    const addresses = await tsdav.fetchCalendarUserAddresses({} as Parameters<typeof tsdav.fetchCalendarUserAddresses>[0]);
    const ownPrincipal = addresses.find((address) => address.includes('/principals/'))!;
    expect(ownPrincipal).toBe(`/dav/principals/users/${olga.userId}/`);
    // The organizer as an absolute URL, the attendees as paths: with the prefix, and without it.
    const olgaAddress = `${server().url}${ownPrincipal}`;
    const bertAddress = `/dav/principals/users/${bert.userId}/`;
    const cleoAddress = `/principals/users/${cleo.userId}`;
    const text = vcalendar(
      ...vevent('by-principal-1', 'SUMMARY:Principals', `DTSTART:${time(2, 9)}`, `DTEND:${time(2, 10)}`, `ORGANIZER;CN=olga:${olgaAddress}`, `ATTENDEE;CN=olga;PARTSTAT=ACCEPTED:${olgaAddress}`, `ATTENDEE;CN=bert;RSVP=TRUE:${bertAddress}`, `ATTENDEE;CN=cleo;RSVP=TRUE:${cleoAddress}`),
    );
    expect((await tsdav.createCalendarObject({ calendar: await calendarOf(olga, APPLE_CALENDAR_UA), filename: 'by-principal.ics', iCalString: text })).status).toBe(201);
    const sent = String((await copyOf(olga, 'by-principal-1'))!.data);
    expect([scheduleStatusOf(sent, bertAddress), scheduleStatusOf(sent, cleoAddress)]).toEqual(['1.2', '1.2']);
    const bertCopy = (await copyOf(bert, 'by-principal-1'))!;
    expect(partstatOf(String(bertCopy.data), bertAddress)).toBe('NEEDS-ACTION');
    expect(await methods(cleo, 'by-principal-1')).toEqual(['REQUEST']);

    await (await client(bert)).updateCalendarObject({ calendarObject: { ...bertCopy, data: withPartstat(String(bertCopy.data), bertAddress, 'ACCEPTED') } });
    const answered = String((await copyOf(olga, 'by-principal-1'))!.data);
    expect([partstatOf(answered, bertAddress), scheduleStatusOf(answered, bertAddress)]).toEqual(['ACCEPTED', '2.0']);
    expect(await methods(olga, 'by-principal-1')).toEqual(['REPLY']);

    expect((await tsdav.deleteCalendarObject({ calendarObject: (await copyOf(olga, 'by-principal-1'))! })).status).toBe(204);
    for (const who of [bert, cleo]) expect(String((await copyOf(who, 'by-principal-1'))!.data)).toContain('STATUS:CANCELLED');
  });

  it('deletes a whole calendar with its meetings: the attendees get the cancellation; one with more meetings than davmesh.limits.calendarDeleteMeetings is refused', async () => {
    const send = raw(olga);
    expect((await send('MKCALENDAR', '/dav/caldav/projects/')).status).toBe(201);
    for (const uid of ['project-1', 'project-2']) {
      expect((await send('PUT', `/dav/caldav/projects/${uid}.ics`, ICS, meeting(uid, 'olga', chair('olga'), invited('bert'), invited('cleo')))).status).toBe(201);
    }
    await server().bus.call(ConfigSet, { key: 'davmesh.limits.calendarDeleteMeetings', value: 1, contextId: server().contextId });
    try {
      const refused = await send('DELETE', '/dav/caldav/projects/');
      expect([refused.status, refused.text.includes('max-scheduling-objects')]).toEqual([403, true]);
      expect((await send('PROPFIND', '/dav/caldav/projects/', { Depth: '0' }, '')).status).toBe(207);
      expect(await methods(bert, 'project-1')).toEqual(['REQUEST']);
    } finally {
      await server().bus.call(ConfigUnset, { key: 'davmesh.limits.calendarDeleteMeetings', contextId: server().contextId });
    }
    expect((await send('DELETE', '/dav/caldav/projects/')).status).toBe(204);
    expect((await send('PROPFIND', '/dav/caldav/projects/', { Depth: '0' }, '')).status).toBe(404);
    for (const who of [bert, cleo]) {
      for (const uid of ['project-1', 'project-2']) {
        expect(String((await copyOf(who, uid))!.data)).toContain('STATUS:CANCELLED');
        expect(await methods(who, uid)).toEqual(['CANCEL', 'REQUEST']);
      }
    }
  });

  it('tells the organizer what became of attendees outside the server: 1.0, queued for mail (iMIP), then 5.1 once the queue found no relay to send it through', async () => {
    await (await client(olga)).createCalendarObject({
      calendar: await calendarOf(olga),
      filename: 'partner.ics',
      iCalString: meeting('partner-1', 'olga', chair('olga'), invited('bert'), 'ATTENDEE;CN=Partner;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:partner@elsewhere.example'),
    });
    const own = String((await copyOf(olga, 'partner-1'))!.data);
    expect(scheduleStatusOf(own, at('bert'))).toBe('1.2');
    // The queue's sender takes the message within a second; this node has no relay (davmesh.imip.smtp.url).
    expect(['1.0', '5.1']).toContain(scheduleStatusOf(own, 'partner@elsewhere.example'));
    await eventually(async () => expect(scheduleStatusOf(String((await copyOf(olga, 'partner-1'))!.data), 'partner@elsewhere.example')).toBe('5.1'), 10_000);
  });
});
