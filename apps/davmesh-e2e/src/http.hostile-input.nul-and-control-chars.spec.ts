import request from 'supertest';
import { Authenticate } from '@davmesh/contracts';
import { eventIcs } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('NUL and other control characters in logins and paths', () => {
  const server = sharedNodePerSuite();
  const send = () => dav(server().url, server().demo.login, server().demo.password);

  it('refuses a Basic login or password holding a NUL with 401, and still accepts the real one', async () => {
    const { login } = server().demo;
    const propfind = (authorization: string) => request(server().url).propfind('/dav/caldav/').set('Authorization', authorization).set('Depth', '0');
    expect((await propfind(basic(`${login}\u0000:demo`))).status).toBe(401);
    expect((await propfind(basic(`${login}:demo\u0000`))).status).toBe(401);
    expect((await propfind(basic(`${login}:de\u0007mo`))).status).toBe(401);
    expect((await propfind(basic(`${login}:demo`))).status).toBe(207);
  });

  it('has the directory refuse a trailing NUL itself, which scrypt alone would not tell apart', async () => {
    const { login } = server().demo;
    await expect(server().bus.call(Authenticate, { login, password: 'demo\u0000' })).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(server().bus.call(Authenticate, { login: `${login}\u0000`, password: 'demo' })).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(server().bus.call(Authenticate, { login, password: 'demo' })).resolves.toMatchObject({ login });
  });

  it('answers 404 for a NUL or control character in any path segment, storing nothing', async () => {
    const calendar = (await calendarHrefs(send()))['Calendar'];
    const before = await send()('PROPFIND', calendar, { Depth: '1' });
    for (const escape of ['%00', '%01', '%1B', '%7F', 'a%0Ab']) {
      expect((await send()('GET', `${calendar}${escape}.ics`)).status).toBe(404);
      expect((await send()('PUT', `${calendar}${escape}.ics`, { 'Content-Type': 'text/calendar' }, eventIcs(`nul-${escape}`, 'x'))).status).toBe(404);
      expect((await send()('PROPFIND', `/dav/caldav/${escape}/`, { Depth: '0' })).status).toBe(404);
      expect((await send()('MKCALENDAR', `/dav/caldav/${escape}/`)).status).toBe(404);
      expect((await send()('PUT', `/dav/carddav/Contacts/${escape}.vcf`, { 'Content-Type': 'text/vcard' }, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nEND:VCARD\r\n')).status).toBe(404);
    }
    const after = await send()('PROPFIND', calendar, { Depth: '1' });
    expect(after.text).toBe(before.text);
  });

  it('answers 400 for a malformed percent-encoding, before and after logging in', async () => {
    const calendar = (await calendarHrefs(send()))['Calendar'];
    expect((await send()('GET', `${calendar}%zz.ics`)).status).toBe(400);
    expect((await send()('PROPFIND', '/dav/caldav/%E0%A4%A/', { Depth: '0' })).status).toBe(400);
    expect((await request(server().url).get('/dav/%zz')).status).toBe(400);
  });

  it('answers 404 for a principal id beyond the directory\'s integers', async () => {
    expect((await send()('PROPFIND', '/dav/principals/users/9999999999/', { Depth: '0' })).status).toBe(404);
  });

  it('refuses a MOVE whose Destination holds a NUL, moving nothing', async () => {
    const calendar = (await calendarHrefs(send()))['Calendar'];
    expect((await send()('PUT', `${calendar}nul-move.ics`, { 'Content-Type': 'text/calendar' }, eventIcs('nul-move', 'stays'))).status).toBe(201);
    const move = await send()('MOVE', `${calendar}nul-move.ics`, { Destination: `${calendar}%00.ics` });
    expect(move.status).toBe(400);
    expect((await send()('GET', `${calendar}nul-move.ics`)).status).toBe(200);
  });
});
