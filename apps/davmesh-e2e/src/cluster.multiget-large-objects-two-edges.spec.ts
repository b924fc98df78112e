import {
  basicAuth,
  Cluster,
  clusterPrerequisitesMissing,
  DAVX5_UA,
  describeRequiring,
  largeEventIcs,
  largeVcard,
  multigetBody,
  parseMultistatus,
} from '@davmesh/testing';

const COUNT = 12;
const EVENT_BYTES = 95 * 1024;
const VCARD_BYTES = 200 * 1024;
/** Padding of an object near the 1 MiB max-resource-size: about 980 KB as the client sends it, folded. */
const NEAR_MAX_PADDING = 940_000;
/** Padding of an object under the edge's 1 MiB body limit whose PUT (JSON-escaped) is more than one NATS message. */
const BEYOND_BUS_PADDING = 1_000_000;
const CALDAV = 'urn:ietf:params:xml:ns:caldav';
const CARDDAV = 'urn:ietf:params:xml:ns:carddav';

/**
 * The defect this pins: a calendar-multiget of 12 events of 95 KB made a calendar replica publish
 * one reply over NATS's 1 MiB max_payload; nats.js threw MAX_PAYLOAD_EXCEEDED, the process exited,
 * and the client's retry took down the next replica. Now replies page by bytes.
 */
describeRequiring('two edges, two calendar and two contacts replicas on real NATS (1 MiB max_payload): objects that need several bus replies', clusterPrerequisitesMissing(), () => {
  let cluster: Cluster;
  let calendar: string;
  let book: string;
  const eventNames = Array.from({ length: COUNT }, (_, i) => `large-${i}.ics`);
  const cardNames = Array.from({ length: COUNT }, (_, i) => `large-${i}.vcf`);

  const send = async (edge: number, method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${cluster.edgeUrls()[edge]}${path}`, {
      method,
      headers: { Authorization: basicAuth('large', 'large-pw'), 'User-Agent': DAVX5_UA, Depth: '1', ...headers },
      body,
    });
    return { status: response.status, text: await response.text() };
  };
  const dataByHref = async (text: string, property: string) =>
    new Map((await parseMultistatus(text)).filter((r) => r.found.has(property)).map((r) => [r.href, r.found.get(property)!.text]));
  const collection = async (home: string, displayName: string) => {
    const listing = await send(0, 'PROPFIND', home, '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>');
    const entry = (await parseMultistatus(listing.text)).find((r) => r.found.get('{DAV:}displayname')?.text === displayName);
    if (!entry) throw new Error(`no ${displayName} in ${home}: ${listing.status}`);
    return entry.href;
  };

  beforeAll(async () => {
    cluster = await Cluster.start({ edges: 2, calendar: 2, contacts: 2, config: 1 });
    await cluster.addUser('large', 'large-pw');
    calendar = await collection('/dav/caldav/', 'Calendar');
    book = await collection('/dav/carddav/', 'Contacts');
    for (const [i, name] of eventNames.entries()) expect((await send(i % 2, 'PUT', `${calendar}${name}`, largeEventIcs(name, EVENT_BYTES), { 'Content-Type': 'text/calendar' })).status).toBe(201);
    for (const [i, name] of cardNames.entries()) expect((await send(i % 2, 'PUT', `${book}${name}`, largeVcard(name, VCARD_BYTES), { 'Content-Type': 'text/vcard' })).status).toBe(201);
  }, 400_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  it('answers a calendar-multiget of 12 objects of 95 KB through either edge with 207 and all 12, byte for byte', async () => {
    const hrefs = eventNames.map((n) => `${calendar}${n}`);
    // Three rounds through each edge: both calendar replicas answer some of them.
    for (let round = 0; round < 6; round++) {
      const response = await send(round % 2, 'REPORT', calendar, multigetBody(hrefs));
      expect(response.status).toBe(207);
      const data = await dataByHref(response.text, `{${CALDAV}}calendar-data`);
      expect([...data.keys()].sort()).toEqual([...hrefs].sort());
      for (const name of eventNames) expect(data.get(`${calendar}${name}`)).toBe(largeEventIcs(name, EVENT_BYTES));
    }
  }, 120_000);

  it('stores and serves an object near the 1 MiB max-resource-size: GET, multiget, calendar-query and sync-collection', async () => {
    const near = largeEventIcs('near-max.ics', NEAR_MAX_PADDING);
    expect(Buffer.byteLength(near)).toBeGreaterThan(0.9 * 1024 * 1024);
    expect((await send(0, 'PUT', `${calendar}near-max.ics`, near, { 'Content-Type': 'text/calendar' })).status).toBe(201);
    const get = await send(1, 'GET', `${calendar}near-max.ics`);
    expect(get.status).toBe(200);
    expect(get.text).toBe(near);
    const multiget = await send(1, 'REPORT', calendar, multigetBody([`${calendar}near-max.ics`, ...eventNames.map((n) => `${calendar}${n}`)]));
    expect(multiget.status).toBe(207);
    const data = await dataByHref(multiget.text, `{${CALDAV}}calendar-data`);
    expect(data.size).toBe(COUNT + 1);
    expect(data.get(`${calendar}near-max.ics`)).toBe(near);
    const query = await send(0, 'REPORT', calendar, `<C:calendar-query xmlns="DAV:" xmlns:C="${CALDAV}"><prop><getetag/><C:calendar-data/></prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter></C:calendar-query>`);
    expect(query.status).toBe(207);
    expect((await dataByHref(query.text, `{${CALDAV}}calendar-data`)).size).toBe(COUNT + 1);
    const sync = await send(1, 'REPORT', calendar, `<sync-collection xmlns="DAV:" xmlns:C="${CALDAV}"><sync-token/><sync-level>1</sync-level><prop><getetag/><C:calendar-data/></prop></sync-collection>`);
    expect(sync.status).toBe(207);
    expect((await dataByHref(sync.text, `{${CALDAV}}calendar-data`)).size).toBe(COUNT + 1);
  }, 120_000);

  it('refuses an object whose PUT no NATS message can carry with 403 max-resource-size, not as an outage', async () => {
    const beyond = largeEventIcs('beyond-bus.ics', BEYOND_BUS_PADDING);
    expect(Buffer.byteLength(beyond)).toBeLessThanOrEqual(1024 * 1024);
    const put = await send(0, 'PUT', `${calendar}beyond-bus.ics`, beyond, { 'Content-Type': 'text/calendar' });
    expect(put.status).toBe(403);
    expect(put.text).toContain('max-resource-size');
    expect((await send(1, 'GET', `${calendar}beyond-bus.ics`)).status).toBe(404);
  }, 60_000);

  it('answers an addressbook-multiget of 12 vCards of 200 KB through either edge with all 12', async () => {
    const hrefs = cardNames.map((n) => `${book}${n}`);
    for (let round = 0; round < 4; round++) {
      const response = await send(round % 2, 'REPORT', book, multigetBody(hrefs, 'carddav'));
      expect(response.status).toBe(207);
      const cards = await dataByHref(response.text, `{${CARDDAV}}address-data`);
      expect([...cards.keys()].sort()).toEqual([...hrefs].sort());
      for (const name of cardNames) expect(cards.get(`${book}${name}`)).toBe(largeVcard(name, VCARD_BYTES));
    }
  }, 120_000);

  it('kept every replica and edge up: none exited or restarted, none logged an error', () => {
    expect(cluster.processes.filter((p) => !p.running || p.starts !== 1).map((p) => p.name)).toEqual([]);
    expect(cluster.errorLogs()).toEqual([]);
  });
});
