import { eventIcs, parseMultistatus } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('a syncing client while several writers write over HTTP', () => {
  const server = sharedNodePerSuite();

  it('ends with exactly the server state, deletions included', async () => {
    const send = dav(server().url, server().demo.login, server().demo.password);
    const events = (await calendarHrefs(send))['Calendar'];
    const state = new Map<string, string>();
    let token = '';
    const syncOnce = async () => {
      for (let round = 0; round < 50; round++) {
        const response = await send(
          'REPORT',
          events,
          { Depth: '1' },
          `<sync-collection xmlns="DAV:"><sync-token>${token}</sync-token><sync-level>1</sync-level><limit><nresults>4</nresults></limit><prop><getetag/></prop></sync-collection>`,
        );
        expect(response.status).toBe(207);
        token = /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(response.text)![1];
        for (const entry of await parseMultistatus(response.text)) {
          if (entry.href === events) continue;
          const etag = entry.found.get('{DAV:}getetag')?.text;
          if (etag) state.set(entry.href, etag);
          else state.delete(entry.href);
        }
        if (!response.text.includes('HTTP/1.1 507')) return;
      }
      throw new Error('sync did not finish');
    };

    let writing = true;
    const writers = Array.from({ length: 3 }, async (_, w) => {
      for (let i = 0; i < 12; i++) {
        const name = `w${w}-${i % 4}`;
        if (i % 5 === 4) await send('DELETE', `${events}${name}.ics`);
        else await send('PUT', `${events}${name}.ics`, { 'Content-Type': 'text/calendar' }, eventIcs(name, `${name} v${i}`));
      }
    });
    const syncer = (async () => {
      while (writing) await syncOnce();
    })();
    await Promise.all(writers);
    writing = false;
    await syncer;
    await syncOnce();

    const listing = await parseMultistatus((await send('PROPFIND', events, { Depth: '1' }, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>')).text);
    const serverState = new Map(listing.filter((r) => r.href !== events).map((r) => [r.href, r.found.get('{DAV:}getetag')?.text ?? '']));
    expect(new Map([...state].sort())).toEqual(new Map([...serverState].sort()));
    expect(serverState.size).toBeGreaterThan(0);
  });
});
