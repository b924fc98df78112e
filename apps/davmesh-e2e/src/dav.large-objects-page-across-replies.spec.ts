import { icalUtc, largeEventIcs, largeSeriesIcs, largeVcard, multigetBody, parseMultistatus } from '@davmesh/testing';
import { calendarHrefs, dav } from './dav-request.fixture';
import { sharedNodePerSuite } from './shared-node.fixture';

const COUNT = 12;
const EVENT_BYTES = 95 * 1024;
const VCARD_BYTES = 200 * 1024;

/**
 * Objects whose data together exceed one bus message (1 MiB in-process, as on NATS) answer in
 * one 207 all the same: the services page by bytes and the edge asks for the rest.
 */
describe('multiget, query and sync-collection of objects that need several bus replies', () => {
  const server = sharedNodePerSuite();
  let send: ReturnType<typeof dav>;
  let calendar: string;
  let book: string;
  const eventNames = Array.from({ length: COUNT }, (_, i) => `large-${i}.ics`);
  const cardNames = Array.from({ length: COUNT }, (_, i) => `large-${i}.vcf`);

  /** href → data of a 207's responses with data, by the given property. */
  const dataByHref = async (text: string, property: string) =>
    new Map((await parseMultistatus(text)).filter((r) => r.found.has(property)).map((r) => [r.href, r.found.get(property)!.text]));

  beforeAll(async () => {
    const { login } = await server().addUser('large', 'large-pw');
    send = dav(server().url, login, 'large-pw');
    calendar = (await calendarHrefs(send))['Calendar'];
    const home = await send('PROPFIND', '/dav/carddav/', { Depth: '1' }, '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>');
    book = /<d:href>([^<]+)<\/d:href><d:propstat><d:prop><d:displayname>Contacts<\/d:displayname>/.exec(home.text)![1];
    for (const name of eventNames) expect((await send('PUT', `${calendar}${name}`, { 'Content-Type': 'text/calendar' }, largeEventIcs(name, EVENT_BYTES))).status).toBe(201);
    for (const name of cardNames) expect((await send('PUT', `${book}${name}`, { 'Content-Type': 'text/vcard' }, largeVcard(name, VCARD_BYTES))).status).toBe(201);
  }, 120_000);

  it('answers a calendar-multiget of twelve 95 KB events with all twelve, byte for byte, and 404 for a missing one', async () => {
    const hrefs = [...eventNames.map((n) => `${calendar}${n}`), `${calendar}none.ics`];
    const response = await send('REPORT', calendar, { Depth: '1' }, multigetBody(hrefs));
    expect(response.status).toBe(207);
    const data = await dataByHref(response.text, '{urn:ietf:params:xml:ns:caldav}calendar-data');
    expect([...data.keys()].sort()).toEqual(hrefs.slice(0, COUNT).sort());
    for (const name of eventNames) expect(data.get(`${calendar}${name}`)).toBe(largeEventIcs(name, EVENT_BYTES));
    expect(response.text).toMatch(new RegExp(`<d:href>${calendar}none.ics</d:href><d:status>HTTP/1.1 404`));
  }, 60_000);

  it('answers a calendar-query and an initial sync-collection asking for calendar-data with all twelve', async () => {
    const query = await send(
      'REPORT',
      calendar,
      { Depth: '1' },
      '<C:calendar-query xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><prop><getetag/><C:calendar-data/></prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter></C:calendar-query>',
    );
    expect(query.status).toBe(207);
    expect((await dataByHref(query.text, '{urn:ietf:params:xml:ns:caldav}calendar-data')).size).toBe(COUNT);
    const sync = await send('REPORT', calendar, { Depth: '1' }, '<sync-collection xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><sync-token/><sync-level>1</sync-level><prop><getetag/><C:calendar-data/></prop></sync-collection>');
    expect(sync.status).toBe(207);
    expect((await dataByHref(sync.text, '{urn:ietf:params:xml:ns:caldav}calendar-data')).size).toBe(COUNT);
    expect(sync.text).not.toContain('507');
  }, 60_000);

  it('answers an addressbook-multiget, addressbook-query and sync-collection of twelve 200 KB vCards with all twelve', async () => {
    const hrefs = cardNames.map((n) => `${book}${n}`);
    const multiget = await send('REPORT', book, { Depth: '1' }, multigetBody(hrefs, 'carddav'));
    expect(multiget.status).toBe(207);
    const cards = await dataByHref(multiget.text, '{urn:ietf:params:xml:ns:carddav}address-data');
    expect([...cards.keys()].sort()).toEqual([...hrefs].sort());
    for (const name of cardNames) expect(cards.get(`${book}${name}`)).toBe(largeVcard(name, VCARD_BYTES));
    const query = await send('REPORT', book, { Depth: '1' }, '<C:addressbook-query xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><prop><getetag/><C:address-data/></prop></C:addressbook-query>');
    expect(query.status).toBe(207);
    expect((await dataByHref(query.text, '{urn:ietf:params:xml:ns:carddav}address-data')).size).toBe(COUNT);
    const sync = await send('REPORT', book, { Depth: '1' }, '<sync-collection xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><sync-token/><sync-level>1</sync-level><prop><getetag/><C:address-data/></prop></sync-collection>');
    expect(sync.status).toBe(207);
    expect((await dataByHref(sync.text, '{urn:ietf:params:xml:ns:carddav}address-data')).size).toBe(COUNT);
  }, 60_000);

  it('answers a multiget that asks for a long series expanded past what one reply carries with 507, and serves on', async () => {
    const series = largeSeriesIcs('series', 2000, 700);
    expect((await send('PUT', `${calendar}series.ics`, { 'Content-Type': 'text/calendar' }, series)).status).toBe(201);
    const expand = multigetBody([`${calendar}series.ics`]).replace('<C:calendar-data/>', `<C:calendar-data><C:expand start="${icalUtc(new Date())}" end="${icalUtc(new Date(Date.now() + 3650 * 86_400_000))}"/></C:calendar-data>`);
    expect((await send('REPORT', calendar, { Depth: '1' }, expand)).status).toBe(507);
    expect((await send('REPORT', calendar, { Depth: '1' }, multigetBody([`${calendar}series.ics`]))).status).toBe(207);
  }, 60_000);
});
