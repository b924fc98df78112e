import { eventIcs, parseMultistatus } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('sync-collection with limit/nresults: a truncated answer with 507 on the collection and a token to go on', () => {
  const server = sharedNodePerSuite();

  /** A client's view of a calendar, kept by syncing the way DAVx5 does: page after page until no 507. */
  const syncingClient = async (calendar: string) => {
    const send = dav(server().url, server().demo.login, server().demo.password);
    const events = (await calendarHrefs(send))[calendar] ?? calendar;
    const put = (name: string, summary = name) => send('PUT', `${events}${name}.ics`, { 'Content-Type': 'text/calendar' }, eventIcs(name, summary));
    const state = new Map<string, string>();
    const sync = async (from: string, nresults?: number) => {
      const limit = nresults ? `<limit><nresults>${nresults}</nresults></limit>` : '';
      let token = from;
      for (let requests = 1; requests <= 20; requests++) {
        const response = await send('REPORT', events, { Depth: '1' }, `<sync-collection xmlns="DAV:"><sync-token>${token}</sync-token><sync-level>1</sync-level>${limit}<prop><getetag/></prop></sync-collection>`);
        expect(response.status).toBe(207);
        token = /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(response.text)![1];
        const truncated = response.text.includes(`<d:href>${events}</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status>`);
        for (const entry of await parseMultistatus(response.text)) {
          if (entry.href === events) continue;
          const etag = entry.found.get('{DAV:}getetag')?.text;
          if (etag) state.set(entry.href, etag);
          else state.delete(entry.href);
        }
        if (!truncated) return { token, requests };
        expect(response.text).toContain('number-of-matches-within-limits');
      }
      throw new Error('sync did not finish');
    };
    const names = () => [...state.keys()].map((h) => h.slice(events.length)).sort();
    const matchesServer = async () => {
      const listing = await parseMultistatus((await send('PROPFIND', events, { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>')).text);
      const serverState = new Map(listing.filter((r) => r.href !== events).map((r) => [r.href, r.found.get('{DAV:}getetag')?.text]));
      expect(new Map([...state].sort())).toEqual(new Map([...serverState].sort()));
    };
    return { send, events, put, sync, names, matchesServer };
  };

  it('pages an initial and an incremental sync the way DAVx5 follows them, ending with exactly the server state', async () => {
    const client = await syncingClient('Calendar');
    for (const name of ['a', 'b', 'c', 'd', 'e']) expect((await client.put(name)).status).toBe(201);
    const first = await client.sync('', 2);
    expect(first.requests).toBe(3);
    expect(client.names()).toEqual(['a.ics', 'b.ics', 'c.ics', 'd.ics', 'e.ics']);

    await client.send('DELETE', `${client.events}b.ics`);
    await client.put('f');
    await client.put('a', 'a changed');
    await client.sync(first.token, 2);
    await client.matchesServer();
  });

  it('answers an initial sync without a limit at once, with a token from which the changes after it follow', async () => {
    const send = dav(server().url, server().demo.login, server().demo.password);
    expect((await send('MKCALENDAR', '/dav/caldav/initial-sync/')).status).toBe(201);
    const client = await syncingClient('/dav/caldav/initial-sync/');
    for (const name of ['t1', 't2', 't3']) expect((await client.put(name)).status).toBe(201);
    const first = await client.sync('');
    expect(first.requests).toBe(1);
    expect(client.names()).toEqual(['t1.ics', 't2.ics', 't3.ics']);
    // Asked again with nothing changed: the same members, the same token.
    expect(await client.sync('')).toEqual(first);

    await client.send('DELETE', `${client.events}t2.ics`);
    await client.put('t4');
    await client.put('t1', 't1 changed');
    await client.sync(first.token);
    await client.matchesServer();
    expect(client.names()).toEqual(['t1.ics', 't3.ics', 't4.ics']);
  });
});
