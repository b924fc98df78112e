import { ConfigSet } from '@davmesh/contracts';
import { eventIcs, eventually, PRINCIPAL_PROPFIND } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('com.openexchange.caldav.enabled=false from the config cascade', () => {
  const server = sharedNodePerSuite();

  it('answers 403 on everything under /dav/caldav/ and hides calendar-home-set, for that user only', async () => {
    const dora = await server().addUser('dora', 'dora-pw');
    const emil = await server().addUser('emil', 'emil-pw');
    const asDora = dav(server().url, dora.login, 'dora-pw');
    const asEmil = dav(server().url, emil.login, 'emil-pw');
    const events = (await calendarHrefs(asDora))['Calendar'];
    expect((await asDora('PUT', `${events}e.ics`, { 'Content-Type': 'text/calendar' }, eventIcs('e', 'E'))).status).toBe(201);

    await server().bus.call(ConfigSet, { key: 'com.openexchange.caldav.enabled', value: false, userId: dora.userId });
    await eventually(async () => expect((await asDora('PROPFIND', '/dav/caldav/', { Depth: '0' }, '')).status).toBe(403));
    expect((await asDora('PROPFIND', events, { Depth: '1' }, '')).status).toBe(403);
    expect((await asDora('GET', `${events}e.ics`)).status).toBe(403);
    expect((await asDora('PUT', `${events}f.ics`, { 'Content-Type': 'text/calendar' }, eventIcs('f', 'F'))).status).toBe(403);
    expect((await asDora('MKCALENDAR', '/dav/caldav/new/', {}, '')).status).toBe(403);
    expect((await asDora('REPORT', events, {}, '<sync-collection xmlns="DAV:"><sync-token/><prop><getetag/></prop></sync-collection>')).status).toBe(403);
    const principal = await asDora('PROPFIND', `/dav/principals/users/${dora.userId}/`, { Depth: '0' }, PRINCIPAL_PROPFIND);
    expect(principal.status).toBe(207);
    expect(principal.text).not.toContain('<d:href>/dav/caldav/</d:href>');

    expect((await asEmil('PROPFIND', '/dav/caldav/', { Depth: '0' }, '')).status).toBe(207);
  });
});
