import { eventIcs, vcard } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('MOVE with a Destination on another server: 502, nothing moved (RFC 4918 9.9.4)', () => {
  const server = sharedNodePerSuite();
  const send = () => dav(server().url, server().demo.login, server().demo.password);
  const status = async (path: string) => (await send()('GET', path)).status;

  it('refuses a calendar object moved to another host, another port or a non-HTTP URI, and keeps it', async () => {
    const calendar = (await calendarHrefs(send()))['Calendar'];
    expect((await send()('PUT', `${calendar}stay.ics`, { 'Content-Type': 'text/calendar' }, eventIcs('stay', 'Stays'))).status).toBe(201);
    const { port } = new URL(server().url);
    for (const destination of [
      `http://evil.example${calendar}gone.ics`,
      `http://evil.example:${port}${calendar}gone.ics`,
      `http://127.0.0.1:${Number(port) === 1 ? 2 : 1}${calendar}gone.ics`,
      `ftp://127.0.0.1:${port}${calendar}gone.ics`,
    ]) {
      const move = await send()('MOVE', `${calendar}stay.ics`, { Destination: destination });
      expect({ destination, status: move.status }).toEqual({ destination, status: 502 });
    }
    expect(await status(`${calendar}stay.ics`)).toBe(200);
    expect(await status(`${calendar}gone.ics`)).toBe(404);
  });

  it('still moves to a Destination on this server: absolute (any HTTP scheme, same host and port) or a path', async () => {
    const calendar = (await calendarHrefs(send()))['Calendar'];
    const { port } = new URL(server().url);
    expect((await send()('PUT', `${calendar}a.ics`, { 'Content-Type': 'text/calendar' }, eventIcs('moving', 'Moves'))).status).toBe(201);
    expect((await send()('MOVE', `${calendar}a.ics`, { Destination: `${server().url}${calendar}b.ics` })).status).toBe(201);
    expect((await send()('MOVE', `${calendar}b.ics`, { Destination: `${calendar}c.ics` })).status).toBe(201);
    expect((await send()('MOVE', `${calendar}c.ics`, { Destination: `https://127.0.0.1:${port}${calendar}d.ics` })).status).toBe(201);
    expect(await status(`${calendar}d.ics`)).toBe(200);
    expect(await status(`${calendar}a.ics`)).toBe(404);
  });

  it('refuses a contact moved to another host the same way', async () => {
    expect((await send()('MKCOL', '/dav/carddav/move-book/', {}, '')).status).toBe(201);
    expect((await send()('PUT', '/dav/carddav/move-book/x.vcf', { 'Content-Type': 'text/vcard' }, vcard('x', 'Xena'))).status).toBe(201);
    expect((await send()('MOVE', '/dav/carddav/move-book/x.vcf', { Destination: 'http://evil.example/dav/carddav/move-book/y.vcf' })).status).toBe(502);
    expect(await status('/dav/carddav/move-book/x.vcf')).toBe(200);
    expect((await send()('MOVE', '/dav/carddav/move-book/x.vcf', { Destination: `${server().url}/dav/carddav/move-book/y.vcf` })).status).toBe(201);
    expect(await status('/dav/carddav/move-book/y.vcf')).toBe(200);
  });
});
