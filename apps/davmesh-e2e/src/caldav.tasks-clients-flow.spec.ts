import { DAVX5_UA, EUROPE_BERLIN, hrefsOf, IOS_DATAACCESSD_UA, parseMultistatus, TASKS_ORG_UA, vcalendar, vtodo } from '@davmesh/testing';
import { dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const CALDAV = 'urn:ietf:params:xml:ns:caldav';
const CS = 'http://calendarserver.org/ns/';
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };

/** Tasks.org's CaldavClient.calendarProperties, asked with Depth 1 on the home. */
const TASKS_ORG_LIST = `<?xml version='1.0' encoding='UTF-8' ?>
<propfind xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:ICAL="http://apple.com/ns/ical/" xmlns:OC="http://owncloud.org/ns" xmlns:T="http://tasks.org/ns/">
  <prop><resourcetype/><displayname/><CAL:supported-calendar-component-set/><CS:getctag/><ICAL:calendar-color/><sync-token/>
  <share-access/><CS:invite/><OC:owner-principal/><OC:invite/><current-user-privilege-set/><current-user-principal/><T:x-calendar-icon/></prop>
</propfind>`;

/** dav4jvm's calendarQuery("VTODO", null, null). */
const ALL_TASKS = `<?xml version='1.0' encoding='UTF-8' ?>
<CAL:calendar-query xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav"><prop><getetag/></prop>
<CAL:filter><CAL:comp-filter name="VCALENDAR"><CAL:comp-filter name="VTODO"/></CAL:comp-filter></CAL:filter></CAL:calendar-query>`;

/** dav4jvm's multiget, as Tasks.org and DAVx5 send it (in chunks). */
function davMultiget(hrefs: string[]): string {
  return `<?xml version='1.0' encoding='UTF-8' ?>
<CAL:calendar-multiget xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav"><prop><getcontenttype/><getetag/><CAL:schedule-tag/><CAL:calendar-data/></prop>
${hrefs.map((href) => `<href>${href}</href>`).join('')}</CAL:calendar-multiget>`;
}

/** "Open tasks": nothing COMPLETED, and a STATUS that is neither COMPLETED nor CANCELLED. */
const OPEN_TASKS = `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>
<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO">
  <C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter>
  <C:prop-filter name="STATUS"><C:text-match negate-condition="yes">COMPLETED</C:text-match></C:prop-filter>
  <C:prop-filter name="STATUS"><C:text-match negate-condition="yes">CANCELLED</C:text-match></C:prop-filter>
</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;

/** The second half of that query (clients send both): tasks with no STATUS at all. */
const OPEN_WITHOUT_STATUS = `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>
<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO">
  <C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter><C:prop-filter name="STATUS"><C:is-not-defined/></C:prop-filter>
</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;

const SYNC_TOKEN_AND_CTAG = `<propfind xmlns="DAV:" xmlns:CS="${CS}"><prop><sync-token/><CS:getctag/></prop></propfind>`;

const DAY = 86_400_000;
/** An iCalendar DATE `days` from today. */
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10).replace(/-/g, '');
/** A floating DATE-TIME at 09:00 `days` from today. */
const morningIn = (days: number) => `${dateIn(days)}T090000`;

/** As Tasks.org 14 writes them: its PRODID, X-APPLE-SORT-ORDER, a date-only DUE, an alarm at the due time. */
function tasksOrgTodo(uid: string, summary: string, dueInDays: number, ...extra: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:+//IDN tasks.org//android-140101//EN',
    'BEGIN:VTODO',
    'DTSTAMP:20260303T182218Z',
    `UID:${uid}`,
    'CREATED:20260303T182204Z',
    'LAST-MODIFIED:20260303T182215Z',
    `SUMMARY:${summary}`,
    'CATEGORIES:Home,Errands',
    'PRIORITY:5',
    `DUE;VALUE=DATE:${dateIn(dueInDays)}`,
    'X-APPLE-SORT-ORDER:559033419',
    ...extra,
    'BEGIN:VALARM',
    'TRIGGER;RELATED=END:PT0S',
    'ACTION:DISPLAY',
    'DESCRIPTION:Default Tasks.org description',
    'END:VALARM',
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe('task clients: Tasks.org, jtx Board (through DAVx5) and Apple Reminders', () => {
  const server = sharedNodePerSuite();
  let send: ReturnType<typeof dav>;
  let tasks: string;
  const as = (ua: string) => (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    send(method, path, { 'User-Agent': ua, ...headers }, body);
  const tasksOrg = as(TASKS_ORG_UA);
  const collectionTags = async (path: string) => {
    const [entry] = await parseMultistatus((await tasksOrg('PROPFIND', path, { Depth: '0', ...XML }, SYNC_TOKEN_AND_CTAG)).text);
    return { syncToken: entry.found.get('{DAV:}sync-token')!.text, ctag: entry.found.get(`{${CS}}getctag`)!.text };
  };
  const names = async (text: string) => (await parseMultistatus(text)).map((r) => r.href.split('/').pop()).sort();

  beforeAll(async () => {
    const tom = await server().addUser('tom', 'tom-pw');
    send = dav(server().url, tom.login, 'tom-pw');
  });

  describe('Tasks.org (its own dav4jvm sync)', () => {
    // Overdue by three months and still open: past the one-month sync window, yet the user's to-do.
    const parent = tasksOrgTodo('3071754526080170849', 'Plan the move', -90, 'STATUS:NEEDS-ACTION');
    const child = tasksOrgTodo('3071754526080170850', 'Book the van', 7, 'STATUS:NEEDS-ACTION', 'RELATED-TO;RELTYPE=PARENT:3071754526080170849');
    const putEtags: Record<string, string> = {};

    it('finds the principal through /.well-known/caldav (a 301 dav4jvm follows) and the home through it', async () => {
      const wellKnown = await tasksOrg('PROPFIND', '/.well-known/caldav', { Depth: '0', ...XML }, '<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>');
      expect(wellKnown.status).toBe(301);
      const context = await tasksOrg('PROPFIND', wellKnown.headers['location'], { Depth: '0', ...XML }, '<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>');
      const [principal] = hrefsOf((await parseMultistatus(context.text))[0].found.get('{DAV:}current-user-principal'));
      const homeSet = await tasksOrg('PROPFIND', principal, { Depth: '0', ...XML }, `<propfind xmlns="DAV:" xmlns:CAL="${CALDAV}"><prop><CAL:calendar-home-set/></prop></propfind>`);
      expect(hrefsOf((await parseMultistatus(homeSet.text))[0].found.get(`{${CALDAV}}calendar-home-set`))).toEqual(['/dav/caldav/']);
    });

    it('lists only the tasks folder as a task list, with the name, tags, privileges and principal it reads, the rest 404', async () => {
      const response = await tasksOrg('PROPFIND', '/dav/caldav/', { Depth: '1', ...XML }, TASKS_ORG_LIST);
      expect(response.status).toBe(207);
      const members = (await parseMultistatus(response.text)).filter((e) => e.href !== '/dav/caldav/');
      const lists = members.filter(
        (e) =>
          e.found.get('{DAV:}resourcetype')?.children.some((c) => c.name.local === 'calendar') &&
          e.found.get(`{${CALDAV}}supported-calendar-component-set`)?.children.some((c) => c.attributes['name'] === 'VTODO'),
      );
      expect(lists).toHaveLength(1);
      const [list] = lists;
      // Tasks.org dereferences the display name of every list it keeps.
      expect(list.found.get('{DAV:}displayname')?.text).toBe('Tasks');
      expect(list.found.get('{DAV:}sync-token')?.text).toMatch(/\S/);
      expect(list.found.get(`{${CS}}getctag`)?.text).toMatch(/\S/);
      const privileges = list.found.get('{DAV:}current-user-privilege-set')!.children.map((p) => p.children[0].name.local);
      expect(privileges).toContain('write-content');
      expect(hrefsOf(list.found.get('{DAV:}current-user-principal'))).toEqual([expect.stringMatching(/^\/dav\/principals\/users\/\d+\/$/)]);
      for (const unknown of ['{DAV:}share-access', `{${CS}}invite`, '{http://owncloud.org/ns}owner-principal', '{http://tasks.org/ns/}x-calendar-icon']) {
        expect(list.missing.get(unknown)).toBe(404);
      }
      tasks = list.href;
    });

    it('PUTs an overdue task and its subtask without conditions; both are listed and read back byte for byte with the PUTs\' ETags', async () => {
      for (const [name, ics] of [['parent.ics', parent], ['child.ics', child]]) {
        const put = await tasksOrg('PUT', `${tasks}${name}`, ICS, ics);
        expect(put.status).toBe(201);
        putEtags[name] = put.headers['etag'];
      }
      const query = await tasksOrg('REPORT', tasks, { Depth: '1', ...XML }, ALL_TASKS);
      const members = await parseMultistatus(query.text);
      expect(Object.fromEntries(members.map((m) => [m.href.split('/').pop(), m.found.get('{DAV:}getetag')?.text]))).toEqual(putEtags);

      const multiget = await tasksOrg('REPORT', tasks, { Depth: '0', ...XML }, davMultiget(members.map((m) => m.href)));
      const fetched = Object.fromEntries((await parseMultistatus(multiget.text)).map((e) => [e.href.split('/').pop(), e]));
      expect(fetched['parent.ics'].found.get(`{${CALDAV}}calendar-data`)?.text).toBe(parent);
      expect(fetched['child.ics'].found.get(`{${CALDAV}}calendar-data`)?.text).toBe(child);
      expect(fetched['child.ics'].found.get('{DAV:}getcontenttype')?.text).toMatch(/^text\/calendar/);
      expect(fetched['child.ics'].missing.get(`{${CALDAV}}schedule-tag`)).toBe(404);
    });

    it('completes the subtask: new ETag, sync-token and getctag move, and the open-tasks query no longer finds it', async () => {
      const before = await collectionTags(tasks);
      const done = tasksOrgTodo('3071754526080170850', 'Book the van', 7, 'STATUS:COMPLETED', `COMPLETED:${dateIn(0)}T090000Z`, 'PERCENT-COMPLETE:100', 'RELATED-TO;RELTYPE=PARENT:3071754526080170849');
      const put = await tasksOrg('PUT', `${tasks}child.ics`, ICS, done);
      expect(put.status).toBe(204);
      expect(put.headers['etag']).not.toBe(putEtags['child.ics']);
      const after = await collectionTags(tasks);
      expect(after.syncToken).not.toBe(before.syncToken);
      expect(after.ctag).not.toBe(before.ctag);

      expect((await tasksOrg('PUT', `${tasks}cancelled.ics`, ICS, tasksOrgTodo('cancelled-1', 'Call the old landlord', 7, 'STATUS:CANCELLED'))).status).toBe(201);
      expect((await tasksOrg('PUT', `${tasks}in-process.ics`, ICS, tasksOrgTodo('in-process-1', 'Pack books', 7, 'STATUS:IN-PROCESS', 'PERCENT-COMPLETE:40'))).status).toBe(201);
      expect((await tasksOrg('PUT', `${tasks}no-status.ics`, ICS, tasksOrgTodo('no-status-1', 'Measure the sofa', 7))).status).toBe(201);
      const open = await tasksOrg('REPORT', tasks, { Depth: '1', ...XML }, OPEN_TASKS);
      expect(open.status).toBe(207);
      expect(await names(open.text)).toEqual(['in-process.ics', 'parent.ics']);
      expect(await names((await tasksOrg('REPORT', tasks, { Depth: '1', ...XML }, OPEN_WITHOUT_STATUS)).text)).toEqual(['no-status.ics']);
    });

    it('deletes without If-Match; the next listing no longer has it, a repeated delete is 404', async () => {
      expect((await tasksOrg('DELETE', `${tasks}cancelled.ics`)).status).toBe(204);
      expect((await tasksOrg('DELETE', `${tasks}cancelled.ics`)).status).toBe(404);
      const listing = await tasksOrg('REPORT', tasks, { Depth: '1', ...XML }, ALL_TASKS);
      expect(await names(listing.text)).toEqual(['child.ics', 'in-process.ics', 'no-status.ics', 'parent.ics']);
    });
  });

  describe('jtx Board (synced by DAVx5): journals and tasks in one collection', () => {
    const davx5 = as(DAVX5_UA);
    const journal = vcalendar(
      'BEGIN:VJOURNAL',
      'UID:jtx-journal-1',
      'DTSTAMP:20260305T080000Z',
      `DTSTART;VALUE=DATE:${dateIn(0)}`,
      'SUMMARY:Standup notes',
      'DESCRIPTION:Discussed the move\\nVan booked',
      'STATUS:FINAL',
      'X-JTX-SOURCE:jtx Board',
      'END:VJOURNAL',
    );
    const subtask = vcalendar(...vtodo('jtx-task-1', 'SUMMARY:Follow up', 'STATUS:NEEDS-ACTION', 'RELATED-TO;RELTYPE=PARENT:jtx-journal-1', 'X-JTX-SOURCE:jtx Board'));

    it('keeps a journal and the task linked to it in a collection made for both, and syncs them with sync-collection', async () => {
      const made = await davx5(
        'MKCALENDAR',
        '/dav/caldav/jtx-notes/',
        XML,
        `<CAL:mkcalendar xmlns="DAV:" xmlns:CAL="${CALDAV}"><set><prop><displayname>Notes</displayname>
         <CAL:supported-calendar-component-set><CAL:comp name="VJOURNAL"/><CAL:comp name="VTODO"/></CAL:supported-calendar-component-set></prop></set></CAL:mkcalendar>`,
      );
      expect(made.status).toBe(201);
      const [start] = await parseMultistatus((await davx5('PROPFIND', '/dav/caldav/jtx-notes/', { Depth: '0', ...XML }, SYNC_TOKEN_AND_CTAG)).text);
      const token = start.found.get('{DAV:}sync-token')!.text;

      expect((await davx5('PUT', '/dav/caldav/jtx-notes/journal.ics', { ...ICS, 'If-None-Match': '*' }, journal)).status).toBe(201);
      expect((await davx5('PUT', '/dav/caldav/jtx-notes/task.ics', { ...ICS, 'If-None-Match': '*' }, subtask)).status).toBe(201);
      const sync = await davx5(
        'REPORT',
        '/dav/caldav/jtx-notes/',
        XML,
        `<sync-collection xmlns="DAV:"><sync-token>${token}</sync-token><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>`,
      );
      expect(sync.status).toBe(207);
      expect((await names(sync.text)).filter(Boolean)).toEqual(['journal.ics', 'task.ics']);
      const multiget = await davx5('REPORT', '/dav/caldav/jtx-notes/', { Depth: '0', ...XML }, davMultiget(['/dav/caldav/jtx-notes/journal.ics', '/dav/caldav/jtx-notes/task.ics']));
      const data = (await parseMultistatus(multiget.text)).map((e) => e.found.get(`{${CALDAV}}calendar-data`)?.text);
      expect(data).toEqual([journal, subtask]);
    });
  });

  describe('Apple Reminders (iOS dataaccessd)', () => {
    const ios = as(IOS_DATAACCESSD_UA);
    const minimal = { Prefer: 'return=minimal', Brief: 't', ...XML };
    const reminder = (...status: string[]) =>
      vcalendar(
        ...EUROPE_BERLIN,
        'BEGIN:VTODO',
        'CREATED:20260306T081500Z',
        'DTSTAMP:20260306T081500Z',
        `DTSTART;TZID=Europe/Berlin:${morningIn(1)}`,
        `DUE;TZID=Europe/Berlin:${morningIn(1)}`,
        'LAST-MODIFIED:20260306T081500Z',
        'SUMMARY:Return the keys',
        'UID:F87D9736-8ADE-47E4-AC46-638B5C86E7D0',
        'X-APPLE-SORT-ORDER:740793996',
        ...status,
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'DESCRIPTION:Reminder',
        'TRIGGER:-PT15M',
        'UID:8D3E7A1C-2B4F-4E5A-9C6D-7E8F9A0B1C2D',
        'X-WR-ALARMUID:8D3E7A1C-2B4F-4E5A-9C6D-7E8F9A0B1C2D',
        'END:VALARM',
        'END:VTODO',
      );

    it('sees the tasks folder among the lists with return=minimal (no 404 propstats) and keeps its sort order and alarm', async () => {
      const home = await ios(
        'PROPFIND',
        '/dav/caldav/',
        { Depth: '1', ...minimal },
        `<A:propfind xmlns:A="DAV:" xmlns:B="${CALDAV}" xmlns:C="${CS}" xmlns:E="http://apple.com/ns/ical/"><A:prop>
          <A:add-member/><C:allowed-sharing-modes/><E:calendar-color/><B:calendar-description/><E:calendar-order/><C:getctag/>
          <A:current-user-privilege-set/><A:displayname/><A:owner/><A:resourcetype/><B:supported-calendar-component-set/><A:sync-token/>
        </A:prop></A:propfind>`,
      );
      expect(home.status).toBe(207);
      expect(home.text).not.toMatch(/HTTP\/1\.1 404/);
      const entries = await parseMultistatus(home.text);
      const list = entries.find((e) => e.href === tasks)!;
      expect(list.found.get(`{${CALDAV}}supported-calendar-component-set`)?.children.map((c) => c.attributes['name'])).toEqual(['VTODO']);

      const created = await ios('PUT', `${tasks}F87D9736-8ADE-47E4-AC46-638B5C86E7D0.ics`, { ...ICS, 'If-None-Match': '*' }, reminder());
      expect(created.status).toBe(201);
      expect((await ios('GET', `${tasks}F87D9736-8ADE-47E4-AC46-638B5C86E7D0.ics`)).text).toBe(reminder());
    });

    it('ticks the reminder off with If-Match; sync-collection from the old token names only it', async () => {
      const href = `${tasks}F87D9736-8ADE-47E4-AC46-638B5C86E7D0.ics`;
      const { syncToken } = await collectionTags(tasks);
      const { headers } = await ios('GET', href);
      const done = reminder(`COMPLETED:${dateIn(0)}T091200Z`, 'PERCENT-COMPLETE:100', 'STATUS:COMPLETED');
      expect((await ios('PUT', href, { ...ICS, 'If-Match': headers['etag'] }, done)).status).toBe(204);
      const sync = await ios(
        'REPORT',
        tasks,
        minimal,
        `<A:sync-collection xmlns:A="DAV:"><A:sync-token>${syncToken}</A:sync-token><A:sync-level>1</A:sync-level><A:prop><A:getetag/></A:prop></A:sync-collection>`,
      );
      expect((await parseMultistatus(sync.text)).map((e) => e.href)).toEqual([href]);
      expect((await ios('GET', href)).text).toBe(done);
    });
  });
});
