import { CalendarFoldersCreate, CalendarFoldersShare, type User } from '@davmesh/contracts';
import { icalUtc, parseMultistatus, partstatOf, vcalendar, vevent } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const INBOX = '/dav/caldav/inbox/';
const DAY = Math.floor(Date.now() / 86_400_000) + 10;
const time = (days: number, hour: number) => icalUtc(new Date((DAY + days) * 86_400_000 + hour * 3_600_000));
const at = (user: User) => user.email!;
const OLGAS_TEAM = '/dav/caldav/team/';

/**
 * Olga shares a team calendar with bert, who may write in it; cleo is invited to meetings. A MOVE
 * between bert's calendar and olga's leaves the one owner's calendars (as a DELETE would) and
 * arrives in the other's (as a PUT would): RFC 6638 schedules for the owner of a calendar.
 */
describe("MOVE of meetings between two owners' calendars (a grantee of a shared calendar)", () => {
  const server = sharedNodePerSuite();
  let olga: User;
  let bert: User;
  let cleo: User;
  /** The team calendar as bert addresses it (shared calendars go by folder id); olga's own name for it is OLGAS_TEAM. */
  let team: string;
  const as = (user: User) => dav(server().url, user.login, 'pw');
  const meeting = (uid: string, organizer: User, ...attendees: User[]) =>
    vcalendar(
      ...vevent(uid, 'SUMMARY:Roadmap', `DTSTART:${time(0, 9)}`, `DTEND:${time(0, 10)}`, 'SEQUENCE:0', `ORGANIZER:mailto:${at(organizer)}`, ...[organizer, ...attendees].map((a) => `ATTENDEE;RSVP=TRUE:mailto:${at(a)}`)),
    );
  /** The user's objects of one UID with their hrefs, over every calendar of their home (their own and those shared with them). */
  const copiesOf = async (user: User, uid: string) => {
    const home = await parseMultistatus((await as(user)('PROPFIND', '/dav/caldav/', { Depth: '1' }, '<propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>')).text);
    const found: { href: string; text: string; scheduleTag?: string }[] = [];
    for (const calendar of home.filter((r) => r.href !== '/dav/caldav/' && r.href !== INBOX && r.href !== '/dav/caldav/outbox/')) {
      const listing = await parseMultistatus((await as(user)('PROPFIND', calendar.href, { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>')).text);
      for (const object of listing.filter((r) => r.href !== calendar.href)) {
        const got = await as(user)('GET', object.href);
        if (got.text.includes(`UID:${uid}\r\n`)) found.push({ href: object.href, text: got.text, scheduleTag: got.headers['schedule-tag'] });
      }
    }
    return found;
  };
  const methods = async (user: User, uid: string) => {
    const listing = await parseMultistatus((await as(user)('PROPFIND', INBOX, { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>')).text);
    const messages = await Promise.all(listing.filter((r) => r.href !== INBOX).map(async (r) => (await as(user)('GET', r.href)).text));
    return messages.filter((m) => m.includes(`UID:${uid}\r\n`)).map((m) => /METHOD:(\w+)/.exec(m)![1]).sort();
  };
  const move = (user: User, from: string, to: string) => as(user)('MOVE', from, { Destination: `${server().url}${to}`, Overwrite: 'F' });

  beforeAll(async () => {
    olga = await server().addUser('olga', 'pw');
    bert = await server().addUser('bert', 'pw');
    cleo = await server().addUser('cleo', 'pw');
    const folder = await server().bus.call(CalendarFoldersCreate, { userId: olga.userId, collectionName: 'team', components: ['VEVENT'] });
    await server().bus.call(CalendarFoldersShare, { userId: olga.userId, folderId: folder.folderId, granteeUserId: bert.userId, rights: 'write' });
    team = `/dav/caldav/${folder.folderId}/`;
  }, 60_000);

  it("cancels bert's meeting for its attendees when he moves it into olga's calendar, and invites them again when he moves it back", async () => {
    expect((await as(bert)('MKCALENDAR', '/dav/caldav/mine/')).status).toBe(201);
    expect((await as(bert)('PUT', '/dav/caldav/mine/roadmap.ics', ICS, meeting('roadmap-1', bert, cleo))).status).toBe(201);
    expect(await methods(cleo, 'roadmap-1')).toEqual(['REQUEST']);

    expect((await move(bert, '/dav/caldav/mine/roadmap.ics', `${team}roadmap.ics`)).status).toBe(201);
    // In olga's calendar it is no meeting of hers: RFC 6638 schedules for a calendar's owner, so it no longer reaches cleo.
    const inTeam = await copiesOf(olga, 'roadmap-1');
    expect(inTeam.map((c) => [c.href, c.scheduleTag])).toEqual([[`${OLGAS_TEAM}roadmap.ics`, undefined]]);
    expect(await methods(cleo, 'roadmap-1')).toEqual(['CANCEL', 'REQUEST']);
    const [cancelled] = await copiesOf(cleo, 'roadmap-1');
    expect(cancelled.text).toContain('STATUS:CANCELLED');

    expect((await move(bert, `${team}roadmap.ics`, '/dav/caldav/mine/roadmap.ics')).status).toBe(201);
    expect(await methods(cleo, 'roadmap-1')).toEqual(['CANCEL', 'REQUEST', 'REQUEST']);
    // The new invitation outranks the cancellation: cleo's copy stands again, waiting for her answer.
    const [again] = await copiesOf(cleo, 'roadmap-1');
    expect(again.text).not.toContain('STATUS:CANCELLED');
    expect(partstatOf(again.text, at(cleo))).toBe('NEEDS-ACTION');
    const [own] = await copiesOf(bert, 'roadmap-1');
    expect(own.scheduleTag).toMatch(/^"/);
  });

  it("cancels olga's meeting for its attendees when bert moves it out of her calendar into his", async () => {
    expect((await as(olga)('PUT', `${OLGAS_TEAM}kickoff.ics`, ICS, meeting('kickoff-1', olga, cleo))).status).toBe(201);
    expect(await methods(cleo, 'kickoff-1')).toEqual(['REQUEST']);
    expect((await move(bert, `${team}kickoff.ics`, '/dav/caldav/mine/kickoff.ics')).status).toBe(201);
    expect(await methods(cleo, 'kickoff-1')).toEqual(['CANCEL', 'REQUEST']);
    expect(await copiesOf(olga, 'kickoff-1')).toEqual([]);
    const [inBerts] = await copiesOf(bert, 'kickoff-1');
    expect([inBerts.href, inBerts.scheduleTag]).toEqual(['/dav/caldav/mine/kickoff.ics', undefined]);
  });

  it("refuses to move bert's copy of olga's invitation into her calendar while she holds the meeting in another: nothing sent, not even his decline", async () => {
    const olgasCalendar = (await calendarHrefs(as(olga)))['Calendar'];
    expect((await as(olga)('PUT', `${olgasCalendar}review.ics`, ICS, meeting('review-1', olga, bert, cleo))).status).toBe(201);
    const [bertsCopy] = await copiesOf(bert, 'review-1');
    const refused = await move(bert, bertsCopy.href, `${team}review.ics`);
    expect([refused.status, refused.text.includes('unique-scheduling-object-resource')]).toEqual([403, true]);
    expect((await copiesOf(bert, 'review-1')).map((c) => c.href)).toEqual([bertsCopy.href]);
    expect(await methods(olga, 'review-1')).toEqual([]);
    expect(partstatOf((await copiesOf(olga, 'review-1'))[0].text, at(bert))).toBe('NEEDS-ACTION');
  });

  it("cancels olga's meeting that bert's event overwrites in her calendar (Overwrite: T)", async () => {
    expect((await as(olga)('PUT', `${OLGAS_TEAM}standup.ics`, ICS, meeting('standup-1', olga, cleo))).status).toBe(201);
    const note = vcalendar(...vevent('note-1', 'SUMMARY:Notes', `DTSTART:${time(2, 9)}`, `DTEND:${time(2, 10)}`));
    expect((await as(bert)('PUT', '/dav/caldav/mine/note.ics', ICS, note)).status).toBe(201);
    const overwritten = await as(bert)('MOVE', '/dav/caldav/mine/note.ics', { Destination: `${server().url}${team}standup.ics`, Overwrite: 'T' });
    expect(overwritten.status).toBe(204);
    expect(await methods(cleo, 'standup-1')).toEqual(['CANCEL', 'REQUEST']);
    expect((await copiesOf(olga, 'note-1')).map((c) => c.href)).toEqual([`${OLGAS_TEAM}standup.ics`]);
  });

  it('sends nothing for a plain event moved there and back', async () => {
    const plain = vcalendar(...vevent('plain-move-1', 'SUMMARY:Focus time', `DTSTART:${time(1, 9)}`, `DTEND:${time(1, 10)}`));
    expect((await as(bert)('PUT', '/dav/caldav/mine/focus.ics', ICS, plain)).status).toBe(201);
    expect((await move(bert, '/dav/caldav/mine/focus.ics', `${team}focus.ics`)).status).toBe(201);
    expect((await move(bert, `${team}focus.ics`, '/dav/caldav/mine/focus.ics')).status).toBe(201);
    const [own] = await copiesOf(bert, 'plain-move-1');
    expect([own.text, own.scheduleTag]).toEqual([plain, undefined]);
    for (const user of [olga, bert, cleo]) expect(await methods(user, 'plain-move-1')).toEqual([]);
  });
});
