import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeRequiring } from '@davmesh/testing';
import { sharedNodePerSuite } from './shared-node.fixture';

const FLOW = join(__dirname, 'clients', 'python-caldav-flow.py');

/** The first Python that imports `caldav` (Debian's python3-caldav): DAVMESH_PYTHON, python3 on PATH, /usr/bin/python3. */
function pythonWithCaldav(): string | undefined {
  const candidates = [process.env.DAVMESH_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  return candidates.find((python) => spawnSync(python, ['-c', 'import caldav'], { stdio: 'ignore', timeout: 10_000 }).status === 0);
}

const python = pythonWithCaldav();

describeRequiring('CalDAV through Python caldav 0.11 (python3-caldav)', python ? undefined : 'no python3 with the caldav library (apt-get install python3-caldav)', () => {
  const server = sharedNodePerSuite();

  /** The login each user of the flows got on the shared node. */
  const logins = new Map<string, string>();

  beforeAll(async () => {
    for (const login of ['py-discover', 'py-calendar', 'py-events', 'py-todos', 'py-sync']) logins.set(login, (await server().addUser(login, `${login}-pw`)).login);
  });

  /** Runs one flow of the script as `login` and parses what it printed; the server keeps serving meanwhile (no spawnSync). */
  async function flow<T = Record<string, unknown>>(login: string, name: string): Promise<T> {
    if (!python) throw new Error('python3-caldav is not installed: apt-get install python3-caldav');
    // DEVELOPMENT turns the library's "deviation from expectations" log lines into exceptions.
    const env = { ...process.env, PYTHON_CALDAV_DEBUGMODE: 'DEVELOPMENT' };
    const run = promisify(execFile)(python, [FLOW, server().url, logins.get(login)!, `${login}-pw`, name], { env, timeout: 60_000 });
    const { stdout } = await run.catch((error: { stderr?: string; message: string }) => {
      throw new Error(`python-caldav-flow.py ${name} failed: ${error.stderr || error.message}`);
    });
    return JSON.parse(stdout) as T;
  }

  it('discovers the principal from /dav/, the host, the well-known path or the home, and lists the default calendars', async () => {
    const found = await flow<{ principal: string }>('py-discover', 'discover');
    expect(found.principal).toMatch(/^\/dav\/principals\/users\/\d+\/$/);
    expect(found).toEqual({
      principalFrom: { '/': found.principal, '/.well-known/caldav': found.principal, '/dav/caldav/': found.principal },
      wrongPassword: 'AuthorizationError',
      principal: found.principal,
      home: '/dav/caldav/',
      calendars: [
        { name: 'Calendar', path: expect.stringMatching(/^\/dav\/caldav\/\d+\/$/), components: ['VEVENT'] },
        { name: 'Tasks', path: expect.stringMatching(/^\/dav\/caldav\/\d+\/$/), components: ['VTODO'] },
      ],
    });
  });

  it('makes a calendar with its own id, renames and describes it with PROPPATCH, and deletes it', async () => {
    const made = await flow('py-calendar', 'calendar');
    expect(made).toEqual({
      path: '/dav/caldav/python-calendar/',
      listedAfterMake: true,
      components: ['VEVENT', 'VTODO'],
      tasksOnlyComponents: ['VTODO'],
      before: { displayname: 'Python made', description: null },
      after: { displayname: 'Renamed by python', description: 'set with PROPPATCH' },
      listedAfterDelete: false,
    });
  });

  it('saves, edits and deletes events, and finds them by date (expanded or not), summary and UID, and as free/busy', async () => {
    const events = await flow<Record<string, unknown> & { dateSearchExpandedRecurrenceIds: string[] }>('py-events', 'events');
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    expect(events).toEqual({
      savedPaths: ['/dav/caldav/python-events/py-daily.ics', '/dav/caldav/python-events/py-far.ics', '/dav/caldav/python-events/py-single.ics'],
      summaryAfterEdit: 'Dentist (moved)',
      etagChanged: true,
      events: ['Dentist (moved)', 'Next month', 'Standup'],
      // The next week: the three standups one by one, the dentist; not next month's event.
      dateSearchExpanded: ['Dentist (moved)', 'Standup', 'Standup', 'Standup'],
      dateSearchExpandedRecurrenceIds: [`${day(1)}T090000Z`, `${day(2)}T090000Z`, `${day(3)}T090000Z`],
      dateSearchUnexpanded: ['Dentist (moved)', 'Standup'],
      dateSearchUnexpandedRrules: 1,
      searchExpanded: ['Dentist (moved)', 'Standup', 'Standup', 'Standup'],
      searchSecondDay: ['Standup'],
      searchBySummary: ['Dentist (moved)'],
      eventByUid: { path: '/dav/caldav/python-events/py-daily.ics', summary: 'Standup' },
      clientSideExpansions: [],
      freebusy: [
        `${day(1)}T090000Z/${day(1)}T100000Z`,
        `${day(2)}T090000Z/${day(2)}T100000Z`,
        `${day(3)}T090000Z/${day(3)}T100000Z`,
        `${day(3)}T110000Z/${day(3)}T120000Z`,
      ],
      eventByUidAfterDelete: 'not found',
      eventsAfterDelete: ['Next month', 'Standup'],
    });
  });

  it('lists pending tasks (no status, needs-action, in process) apart from completed and cancelled ones, and completes one', async () => {
    const todos = await flow('py-todos', 'todos');
    expect(todos).toEqual({
      pendingBefore: ['Buy milk', 'Call mum', 'Water plants'],
      pending: ['Call mum', 'Water plants'],
      all: ['Buy milk', 'Call mum', 'File taxes', 'Old plan', 'Water plants'],
      todoByUid: 'COMPLETED',
      components: ['VTODO'],
    });
  });

  it('syncs by token: everything first, nothing when unchanged, then the change, the delete and the addition', async () => {
    const synced = await flow<{
      first: { token: string; summaries: string[]; unloaded: string[] };
      unchanged: { token: string; paths: string[] };
      delta: { token: string; paths: string[] };
      paths: Record<string, string>;
      syncUpdated: string[];
      syncDeleted: string[];
      afterSync: string[];
      tokenAfterSync: string;
    }>('py-sync', 'sync');
    const { paths } = synced;
    // A UID with "/" and "@" becomes a resource name with a literal "%2F"; its href must lead back to it.
    expect(paths['odd']).toBe('/dav/caldav/python-sync/py-odd%252F1%40example.org.ics');
    expect(synced.first).toEqual({ token: expect.stringMatching(/^http:\/\/davmesh\.org\/ns\/sync\//), summaries: ['Change', 'Drop', 'Keep', 'Odd UID'], unloaded: [] });
    expect(synced.unchanged).toEqual({ token: synced.first.token, paths: [] });
    expect(synced.delta.paths).toEqual([paths['added'], paths['change'], paths['drop']].sort());
    expect(synced.delta.token).not.toBe(synced.first.token);
    expect(synced.syncUpdated).toEqual(['Added', 'Changed']);
    expect(synced.syncDeleted).toEqual([paths['drop']]);
    expect(synced.afterSync).toEqual(['Added', 'Changed', 'Keep', 'Odd UID']);
    expect(synced.tokenAfterSync).toBe(synced.delta.token);
  });
});
