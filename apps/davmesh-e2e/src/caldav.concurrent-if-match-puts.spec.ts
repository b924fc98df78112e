import { eventIcs } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('concurrent PUTs with one If-Match on one calendar object over HTTP', () => {
  let send: ReturnType<typeof dav>;

  const server = sharedNodePerSuite();

  beforeAll(async () => {
    send = dav(server().url, server().demo.login, server().demo.password);
  }, 60_000);

  it('lets exactly one win; the others get 412 and the winner is what is stored', async () => {
    const events = (await calendarHrefs(send))['Calendar'];
    const path = `${events}contended.ics`;
    const created = await send('PUT', path, { 'Content-Type': 'text/calendar' }, eventIcs('contended', 'Original'));
    const etag = created.headers['etag'];
    const writers = Array.from({ length: 8 }, (_, i) =>
      send('PUT', path, { 'Content-Type': 'text/calendar', 'If-Match': etag }, eventIcs('contended', `Writer ${i}`)).then((r) => ({ i, r })),
    );
    const results = await Promise.all(writers);
    const winners = results.filter(({ r }) => r.status >= 200 && r.status < 300);
    expect(winners).toHaveLength(1);
    expect(results.filter(({ r }) => r.status === 412)).toHaveLength(7);
    const stored = await send('GET', path);
    expect(stored.text).toContain(`SUMMARY:Writer ${winners[0].i}`);
    expect(stored.headers['etag']).toBe(winners[0].r.headers['etag']);
  });
});
