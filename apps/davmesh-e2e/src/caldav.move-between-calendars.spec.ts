import { eventIcs } from '@davmesh/testing';
import { dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('MOVE of a calendar object between the user\'s calendars', () => {
  const server = sharedNodePerSuite();

  it('moves with its ETag kept, refuses an occupied destination without Overwrite, and a stale If-Match', async () => {
    const send = dav(server().url, server().demo.login, server().demo.password);
    expect((await send('MKCALENDAR', '/dav/caldav/archive/', {}, '')).status).toBe(201);
    const home = await send('PROPFIND', '/dav/caldav/', { Depth: '1' }, '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>');
    const events = /<d:href>(\/dav\/caldav\/\d+\/)<\/d:href><d:propstat><d:prop><d:displayname>Calendar</.exec(home.text)![1];
    const put = (path: string, uid: string) => send('PUT', path, { 'Content-Type': 'text/calendar' }, eventIcs(uid, uid));
    const created = await put(`${events}trip.ics`, 'trip');
    const destination = `${server().url}/dav/caldav/archive/Trip%202026.ics`;
    expect((await send('MOVE', `${events}trip.ics`, { Destination: destination, 'If-Match': '"stale"' })).status).toBe(412);
    const moved = await send('MOVE', `${events}trip.ics`, { Destination: destination, 'If-Match': created.headers['etag'] });
    expect(moved.status).toBe(201);
    expect(moved.headers['etag']).toBe(created.headers['etag']);
    expect((await send('GET', `${events}trip.ics`)).status).toBe(404);
    expect((await send('GET', '/dav/caldav/archive/Trip%202026.ics')).text).toContain('UID:trip');

    await put(`${events}other.ics`, 'other');
    expect((await send('MOVE', `${events}other.ics`, { Destination: destination, Overwrite: 'F' })).status).toBe(412);
    expect((await send('MOVE', `${events}other.ics`, { Destination: `${server().url}/dav/caldav/nowhere/x.ics` })).status).toBe(404);
  });
});
