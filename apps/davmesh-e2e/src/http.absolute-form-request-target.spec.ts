import { basicAuth, eventIcs } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';
import { rawRequest } from './raw-http.fixture';

/** RFC 9112 3.2.2: `GET http://host/path HTTP/1.1` is served like `GET /path`, whatever Host says. */
describe('a request target in absolute form is served like its path', () => {
  const server = sharedNodePerSuite();
  const send = () => dav(server().url, server().demo.login, server().demo.password);

  const raw = (method: string, target: string, extra: string[] = [], body = '') =>
    rawRequest(server().url, [`${method} ${target} HTTP/1.1`, 'Host: ignored.example', `Authorization: ${basicAuth(server().demo.login, server().demo.password)}`, ...extra], body);

  it('answers PROPFIND and GET as for the origin form', async () => {
    const calendar = (await calendarHrefs(send()))['Calendar'];
    expect((await send()('PUT', `${calendar}absolute.ics`, { 'Content-Type': 'text/calendar' }, eventIcs('absolute', 'Absolute form'))).status).toBe(201);
    const { host } = new URL(server().url);

    const propfind = await raw('PROPFIND', `http://${host}/dav/caldav/`, ['Depth: 1', 'Content-Type: application/xml'], '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>');
    expect(propfind.status).toBe(207);
    expect(propfind.text).toContain(`<d:href>${calendar}</d:href>`);

    const get = await raw('GET', `http://${host}${calendar}absolute.ics`);
    expect(get.status).toBe(200);
    expect(get.text).toContain('SUMMARY:Absolute form');

    const options = await raw('OPTIONS', `https://${host}/dav/caldav/?x=1`);
    expect(options.status).toBe(200);
  });

  it('takes the host from the target: a MOVE Destination on that host is this server', async () => {
    const calendar = (await calendarHrefs(send()))['Calendar'];
    expect((await send()('PUT', `${calendar}from.ics`, { 'Content-Type': 'text/calendar' }, eventIcs('from', 'From'))).status).toBe(201);
    const move = await raw('MOVE', `http://dav.example${calendar}from.ics`, [`Destination: http://dav.example${calendar}to.ics`]);
    expect(move.status).toBe(201);
    expect((await send()('GET', `${calendar}to.ics`)).status).toBe(200);
  });
});
