import { Agent as HttpAgent } from 'node:http';
import { agentFetch, caldavClient, carddavClient, DAVX5_UA, describeRequiring, describeWithInfrastructure, eventIcs, parseMultistatus, THUNDERBIRD_UA, vcard } from '@davmesh/testing';
import { CLIENT_ADDRESS, PROXY_ADDRESS, twoEdgesBehindNginx, USER, type FrontedEdges } from './two-edges-behind-nginx.fixture';
import { nginxMissing } from './web-server-configs.fixture';

/** A loopback address not in davmesh.http.trustedProxies, for requests straight to an edge. */
const UNTRUSTED_ADDRESS = '127.0.0.2';
const FORGED = { 'X-Forwarded-For': '203.0.113.9', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example' };
const TRUST_NGINX = { 'http.properties': `davmesh.http.trustedProxies=${PROXY_ADDRESS}\n` };

/**
 * What a client of the shipped setup gets: tsdav, given nothing but nginx's root, discovers the
 * homes (RFC 6764) and creates and reads an event and a contact; its requests are served by
 * both edges.
 */
async function clientFlow(nginx: FrontedEdges, homes: { caldav: RegExp; carddav: RegExp }): Promise<void> {
  const { front, sent, tagged, viaNginx, servedBy } = nginx;
  const from = sent.length;
  const calendarClient = await caldavClient(`${front}/`, USER.login, USER.password, THUNDERBIRD_UA, tagged(viaNginx));
  const calendar = (await calendarClient.fetchCalendars()).find((c) => c.displayName === 'Calendar');
  expect(calendar?.url.slice(front.length)).toMatch(homes.caldav);
  expect((await calendarClient.createCalendarObject({ calendar: calendar!, filename: 'dentist.ics', iCalString: eventIcs('dentist-1', 'Dentist') })).status).toBe(201);
  const events = await calendarClient.fetchCalendarObjects({ calendar: calendar! });
  expect(events.map((e) => String(e.data))).toEqual([expect.stringContaining('SUMMARY:Dentist')]);

  const contactsClient = await carddavClient(`${front}/`, USER.login, USER.password, DAVX5_UA, tagged(viaNginx));
  const book = (await contactsClient.fetchAddressBooks()).find((b) => b.displayName === 'Contacts');
  expect(book?.url.slice(front.length)).toMatch(homes.carddav);
  expect((await contactsClient.createVCard({ addressBook: book!, filename: 'olga.vcf', vCardString: vcard('olga-1', 'Olga Berg') })).status).toBe(201);
  const cards = await contactsClient.fetchVCards({ addressBook: book! });
  expect(cards.map((c) => String(c.data))).toEqual([expect.stringContaining('FN:Olga Berg')]);

  // Each client asked the well-known path at nginx's root first, and was sent on.
  for (const path of ['/.well-known/caldav', '/.well-known/carddav']) expect(sent.slice(from).find((s) => s.path === path)?.status).toBe(301);
  // Everything else reached an edge (virtual-host.conf answers the well-known paths in nginx itself).
  const toEdges = sent.slice(from).filter((s) => !(s.path.startsWith('/.well-known/') && s.status === 301));
  const served = await Promise.all(toEdges.map((s) => servedBy(s.id)));
  expect(new Set(served.map((s) => s.edge))).toEqual(new Set([0, 1]));
  // Every line names the client as nginx saw it (X-Forwarded-For) and the scheme it used (X-Forwarded-Proto).
  for (const { line } of served) expect(line).toMatchObject({ client: CLIENT_ADDRESS, proto: 'https' });
}

/** The href of the user's collection named `displayName` under a home, listed through nginx. */
async function collectionHref(nginx: FrontedEdges, home: string, displayName: string): Promise<string> {
  const listing = await nginx.send(nginx.viaNginx, `${nginx.front}${home}`, 'PROPFIND', { Depth: '1' }, '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>');
  const entry = (await parseMultistatus(listing.text)).find((r) => r.found.get('{DAV:}displayname')?.text === displayName);
  if (!entry) throw new Error(`no ${displayName} in ${home}: ${listing.status}`);
  return entry.href;
}

describeWithInfrastructure('the shipped nginx configuration in front of two edges on NATS and PostgreSQL', () => {
  describeRequiring('prefix-path.conf: a real DAV client, round robin without stickiness, X-Forwarded-* from the trusted proxy only', nginxMissing(), () => {
    const nginx = twoEdgesBehindNginx('prefix-path.conf', TRUST_NGINX);

    it('finds the calendar and address book homes from nginx\'s root through /.well-known, writes and reads an event and a contact, and both edges serve', async () => {
      const { sent, servedBy } = nginx();
      await clientFlow(nginx(), { caldav: /^\/dav\/caldav\/[^/]+\/$/, carddav: /^\/dav\/carddav\/[^/]+\/$/ });
      // nginx forwards the well-known paths; an edge answers them with the redirect to /dav/.
      for (const path of ['/.well-known/caldav', '/.well-known/carddav']) {
        expect((await servedBy(sent.find((s) => s.path === path)!.id)).line).toMatchObject({ path, status: 301 });
      }
    }, 120_000);

    it('sends successive requests on one client connection to the edges in turn', async () => {
      const { front, send, servedBy, viaNginx } = nginx();
      const edgesInOrder: number[] = [];
      for (let i = 0; i < 10; i++) {
        const propfind = await send(viaNginx, `${front}/dav/`, 'PROPFIND', { Depth: '0' }, '<propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>');
        expect(propfind.status).toBe(207);
        edgesInOrder.push((await servedBy(propfind.id)).edge);
      }
      const first = edgesInOrder[0];
      expect(edgesInOrder).toEqual(edgesInOrder.map((_, i) => (i % 2 === 0 ? first : 1 - first)));
    }, 120_000);

    it('reads a change at once through the other edge, whichever edge took the write', async () => {
      const { front, send, servedBy, viaNginx } = nginx();
      const calendar = await collectionHref(nginx(), '/dav/caldav/', 'Calendar');
      const book = await collectionHref(nginx(), '/dav/carddav/', 'Contacts');
      const cases = [
        { href: `${calendar}standup.ics`, type: 'text/calendar', body: (n: number) => eventIcs('standup-1', `Standup ${n}`), shows: (n: number) => `SUMMARY:Standup ${n}` },
        { href: `${book}piet.vcf`, type: 'text/vcard', body: (n: number) => vcard('piet-1', `Piet ${n}`), shows: (n: number) => `FN:Piet ${n}` },
      ];
      for (const { href, type, body, shows } of cases) {
        expect((await send(viaNginx, `${front}${href}`, 'PUT', { 'Content-Type': type }, body(0))).status).toBe(201);
        // Both edges have read (and may hold) version 0 before it changes.
        for (let i = 0; i < 2; i++) expect((await send(viaNginx, `${front}${href}`, 'GET')).text).toContain(shows(0));
        for (let n = 1; n <= 4; n++) {
          const put = await send(viaNginx, `${front}${href}`, 'PUT', { 'Content-Type': type }, body(n));
          expect(put.status).toBe(204);
          const get = await send(viaNginx, `${front}${href}`, 'GET');
          expect(get.status).toBe(200);
          expect(get.text).toContain(shows(n));
          expect((await servedBy(get.id)).edge).not.toBe((await servedBy(put.id)).edge);
        }
      }
    }, 120_000);

    it('passes the client\'s host and port on, not what the client claims: a MOVE to nginx\'s host:port moves, to a forged host is 502', async () => {
      const { front, send, servedBy, viaNginx } = nginx();
      const calendar = await collectionHref(nginx(), '/dav/caldav/', 'Calendar');
      expect((await send(viaNginx, `${front}${calendar}a.ics`, 'PUT', { 'Content-Type': 'text/calendar' }, eventIcs('move-1', 'Moving'))).status).toBe(201);
      // nginx replaces the client's X-Forwarded-Host and appends its peer to the client's X-Forwarded-For.
      const forged = await send(viaNginx, `${front}${calendar}a.ics`, 'MOVE', { ...FORGED, Destination: `https://evil.example${calendar}b.ics` });
      expect(forged.status).toBe(502);
      expect((await servedBy(forged.id)).line).toMatchObject({ client: CLIENT_ADDRESS, proto: 'https', status: 502 });
      const moved = await send(viaNginx, `${front}${calendar}a.ics`, 'MOVE', { ...FORGED, Destination: `${front}${calendar}b.ics` });
      expect(moved.status).toBe(201);
      expect((await send(viaNginx, `${front}${calendar}b.ics`, 'GET')).text).toContain('SUMMARY:Moving');
      expect((await send(viaNginx, `${front}${calendar}a.ics`, 'GET')).status).toBe(404);
    }, 120_000);

    it('ignores X-Forwarded-* sent straight to an edge from an address that is not a trusted proxy', async () => {
      const { edges, send, servedBy } = nginx();
      const calendar = await collectionHref(nginx(), '/dav/caldav/', 'Calendar');
      const untrusted = agentFetch(new HttpAgent({ localAddress: UNTRUSTED_ADDRESS }));
      const asProxy = agentFetch(new HttpAgent({ localAddress: PROXY_ADDRESS }));
      for (const [edge, { url }] of edges.entries()) {
        const name = `direct-${edge}`;
        expect((await send(untrusted, `${url}${calendar}${name}.ics`, 'PUT', { 'Content-Type': 'text/calendar', ...FORGED }, eventIcs(name, 'Direct'))).status).toBe(201);
        const refused = await send(untrusted, `${url}${calendar}${name}.ics`, 'MOVE', { ...FORGED, Destination: `http://evil.example${calendar}${name}-moved.ics` });
        expect(refused.status).toBe(502);
        expect((await servedBy(refused.id)).line).toMatchObject({ client: UNTRUSTED_ADDRESS, proto: 'http' });
        // The same headers from the trusted proxy's address are believed: the difference is who sent them.
        const believed = await send(asProxy, `${url}${calendar}${name}.ics`, 'MOVE', { ...FORGED, Destination: `http://evil.example${calendar}${name}-moved.ics` });
        expect(believed.status).toBe(201);
        expect((await servedBy(believed.id)).line).toMatchObject({ client: '203.0.113.9', proto: 'https' });
        expect((await send(untrusted, `${url}${calendar}${name}-moved.ics`, 'GET')).text).toContain('SUMMARY:Direct');
      }
    }, 120_000);
  });

  describeRequiring('virtual-host.conf: DAV at the root of a host of its own', nginxMissing(), () => {
    const nginx = twoEdgesBehindNginx('virtual-host.conf', {
      ...TRUST_NGINX,
      'dav.properties': 'com.openexchange.dav.prefixPath=/\ncom.openexchange.dav.proxyPrefixPath=/dav\n',
    });

    it('finds the homes at the root through nginx\'s own well-known redirect, writes and reads an event and a contact, and both edges serve', async () => {
      await clientFlow(nginx(), { caldav: /^\/caldav\/[^/]+\/$/, carddav: /^\/carddav\/[^/]+\/$/ });
    }, 120_000);

    it('moves to a Destination at the root with the client\'s host and port', async () => {
      const { front, send, viaNginx } = nginx();
      const calendar = await collectionHref(nginx(), '/caldav/', 'Calendar');
      expect(calendar).toMatch(/^\/caldav\//);
      expect((await send(viaNginx, `${front}${calendar}a.ics`, 'PUT', { 'Content-Type': 'text/calendar' }, eventIcs('move-2', 'Moving'))).status).toBe(201);
      expect((await send(viaNginx, `${front}${calendar}a.ics`, 'MOVE', { Destination: `${front}${calendar}b.ics` })).status).toBe(201);
      expect((await send(viaNginx, `${front}${calendar}b.ics`, 'GET')).text).toContain('SUMMARY:Moving');
    }, 120_000);
  });
});
