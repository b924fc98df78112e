import { eventIcs, parseMultistatus } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('sync-collection with limit/nresults: a truncated answer with 507 on the collection and a token to go on', () => {
  const server = sharedNodePerSuite();

  it('pages an initial and an incremental sync the way DAVx5 follows them, ending with exactly the server state', async () => {
    const send = dav(server().url, server().demo.login, server().demo.password);
    const events = (await calendarHrefs(send))['Calendar'];
    const put = (name: string) => send('PUT', `${events}${name}.ics`, { 'Content-Type': 'text/calendar' }, eventIcs(name, name));
    for (const name of ['a', 'b', 'c', 'd', 'e']) expect((await put(name)).status).toBe(201);

    const state = new Map<string, string>();
    const syncAll = async (from: string) => {
      let token = from;
      for (let round = 0; round < 20; round++) {
        const response = await send(
          'REPORT',
          events,
          { Depth: '1' },
          `<sync-collection xmlns="DAV:"><sync-token>${token}</sync-token><sync-level>1</sync-level><limit><nresults>2</nresults></limit><prop><getetag/></prop></sync-collection>`,
        );
        expect(response.status).toBe(207);
        token = /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(response.text)![1];
        const truncated = response.text.includes(`<d:href>${events}</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status>`);
        for (const entry of await parseMultistatus(response.text)) {
          if (entry.href === events) continue;
          const etag = entry.found.get('{DAV:}getetag')?.text;
          if (etag) state.set(entry.href, etag);
          else state.delete(entry.href);
        }
        if (!truncated) return token;
        expect(response.text).toContain('number-of-matches-within-limits');
      }
      throw new Error('sync did not finish');
    };
    const first = await syncAll('');
    expect([...state.keys()].map((h) => h.slice(events.length)).sort()).toEqual(['a.ics', 'b.ics', 'c.ics', 'd.ics', 'e.ics']);

    await send('DELETE', `${events}b.ics`);
    await put('f');
    await send('PUT', `${events}a.ics`, { 'Content-Type': 'text/calendar' }, eventIcs('a', 'a changed'));
    await syncAll(first);
    const listing = await parseMultistatus((await send('PROPFIND', events, { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>')).text);
    const server_state = new Map(listing.filter((r) => r.href !== events).map((r) => [r.href, r.found.get('{DAV:}getetag')?.text]));
    expect(new Map([...state].sort())).toEqual(new Map([...server_state].sort()));
  });
});
