import { randomBytes } from 'node:crypto';
import { multigetBody } from '@davmesh/testing';
import { GETETAG } from '../http-timing';
import { membersWithEtag, occurrences, syncPageOf } from './answers';
import { type LoadDataset } from './dataset';
import { type LoadAnswer, type LoadClient, type Unit } from './driver';

/** Where a seeded server keeps the load's collections. */
export interface LoadCollections {
  /** Paths ending in `/`. */
  calendar: string;
  book: string;
}

export interface Workload {
  name: string;
  /** Work before the runs, not timed (the sync workload's token and ten changes); returns the unit the clients repeat. */
  prepare(collections: LoadCollections, dataset: LoadDataset, setup: LoadClient): Promise<Unit>;
  /** Whether the unit is a series of requests (its figure is in units per second, with requests per unit beside). */
  multiRequest?: boolean;
  /** Also measured against the plain node:http server answering the same body. */
  canned?: boolean;
}

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };

const syncCollection = (token: string) =>
  `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;

const monthQuery = (dataset: LoadDataset, expand: boolean) => {
  const range = dataset.rangeAttributes();
  const data = expand ? `<C:calendar-data><C:expand ${range}/></C:calendar-data>` : '<C:calendar-data/>';
  return `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/>${data}</D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range ${range}/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;
};

function expect(answer: LoadAnswer, status: number | number[], what: string): void {
  if (!([] as number[]).concat(status).includes(answer.status)) throw new Error(`${what}: status ${answer.status}`);
}

function expectCount(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new Error(`${what}: ${actual}, expected ${expected}`);
}

/** 50 names starting somewhere else each round, spread over the collection. */
const fifty = (round: number, total: number, name: (i: number) => string) => Array.from({ length: 50 }, (_, k) => name((round * 997 + k * 101) % total));

/** Follows sync-collection from `token` through every 507 page to the end; returns the final token, the members answered and the requests it took. */
async function syncToEnd(client: LoadClient, collection: string, token = ''): Promise<{ token: string; members: Set<string>; requests: number }> {
  const members = new Set<string>();
  for (let requests = 1; requests <= 100; requests++) {
    const answer = await client.send('REPORT', collection, syncCollection(token), { ...XML, Depth: '0' });
    expect(answer, 207, `sync-collection page ${requests}`);
    const page = syncPageOf(answer);
    for (const r of page.members) members.add(r.name);
    token = page.token;
    if (!token) throw new Error(`sync-collection page ${requests}: no sync-token`);
    if (!page.truncated) return { token, members, requests };
  }
  throw new Error('sync-collection: still truncated after 100 pages');
}

export const WORKLOADS: Workload[] = [
  {
    name: 'PROPFIND Depth 1 getetag, 2,000 events',
    canned: true,
    async prepare({ calendar }, dataset) {
      return async (client) => {
        const answer = await client.send('PROPFIND', calendar, GETETAG, { ...XML, Depth: '1' });
        expect(answer, 207, 'PROPFIND');
        expectCount(membersWithEtag(answer).length, dataset.events, 'events with an ETag');
      };
    },
  },
  {
    name: 'GET one event',
    canned: true,
    async prepare({ calendar }, dataset) {
      return async (client) => {
        const answer = await client.send('GET', `${calendar}${dataset.eventName(1)}`);
        expect(answer, 200, 'GET');
        if (!answer.text.includes(`UID:${dataset.uid(1)}`)) throw new Error('GET: not the event asked for');
      };
    },
  },
  {
    name: 'calendar-multiget of 50',
    canned: true,
    async prepare({ calendar }, dataset) {
      return async (client, round) => {
        const answer = await client.send('REPORT', calendar, multigetBody(fifty(round, dataset.events, (i) => `${calendar}${dataset.eventName(i)}`)), { ...XML, Depth: '1' });
        expect(answer, 207, 'multiget');
        expectCount(membersWithEtag(answer).length, 50, 'multiget responses with an ETag');
        expectCount(occurrences(answer.text, 'BEGIN:VCALENDAR'), 50, 'multiget calendar-data');
      };
    },
  },
  ...[false, true].map(
    (expand): Workload => ({
      name: expand ? 'the same with expand' : 'calendar-query, one month',
      async prepare({ calendar }, dataset) {
        const expected = dataset.expectedQuery();
        return async (client) => {
          const answer = await client.send('REPORT', calendar, monthQuery(dataset, expand), { ...XML, Depth: '1' });
          expect(answer, 207, 'calendar-query');
          expectCount(membersWithEtag(answer).length, expected.objects, 'objects in the month');
          if (expand) expectCount(occurrences(answer.text, 'BEGIN:VEVENT'), expected.instances, 'expanded instances');
        };
      },
    }),
  ),
  {
    name: 'sync-collection after 10 changes',
    async prepare({ calendar }, dataset, setup) {
      const { token } = await syncToEnd(setup, calendar);
      const changed = Array.from({ length: 10 }, (_, k) => dataset.eventName(k * 7));
      for (let k = 0; k < 10; k++) {
        expect(await setup.send('PUT', `${calendar}${changed[k]}`, dataset.event(k * 7, ' (changed)'), ICS), [200, 201, 204], 'change PUT');
      }
      return async (client) => {
        const answer = await client.send('REPORT', calendar, syncCollection(token), { ...XML, Depth: '0' });
        expect(answer, 207, 'sync-collection');
        const names = membersWithEtag(answer).map((r) => r.name);
        if (changed.some((n) => !names.includes(n))) throw new Error(`sync-collection: not all ten changed events (${names.length} answered)`);
        // More than the ten: what the token's own instant held again (DAViCal) costs a client a GET, not a lost change.
        if (names.length > 10) return `${names.length - 10} unchanged member(s) answered beside the ten changes`;
      };
    },
  },
  {
    name: 'first full sync to the end',
    multiRequest: true,
    async prepare({ calendar }, dataset) {
      return async (client) => {
        const { members } = await syncToEnd(client, calendar);
        expectCount(members.size, dataset.events, 'members after the last page');
      };
    },
  },
  {
    name: 'PROPFIND Depth 1 getetag, 1,000 contacts',
    async prepare({ book }, dataset) {
      return async (client) => {
        const answer = await client.send('PROPFIND', book, GETETAG, { ...XML, Depth: '1' });
        expect(answer, 207, 'PROPFIND');
        expectCount(membersWithEtag(answer).length, dataset.contacts, 'contacts with an ETag');
      };
    },
  },
  {
    name: 'addressbook-multiget of 50',
    async prepare({ book }, dataset) {
      return async (client, round) => {
        const answer = await client.send('REPORT', book, multigetBody(fifty(round, dataset.contacts, (i) => `${book}${dataset.contactName(i)}`), 'carddav'), { ...XML, Depth: '1' });
        expect(answer, 207, 'multiget');
        expectCount(membersWithEtag(answer).length, 50, 'multiget responses with an ETag');
        expectCount(occurrences(answer.text, 'BEGIN:VCARD'), 50, 'multiget address-data');
      };
    },
  },
  {
    name: 'PUT a new event',
    async prepare({ calendar }, dataset) {
      const salt = randomBytes(3).toString('hex');
      let next = 0;
      return async (client) => {
        const n = next++;
        const answer = await client.send('PUT', `${calendar}new-${salt}-${n}.ics`, dataset.event(n % dataset.events).replace(dataset.uid(n % dataset.events), `new-${salt}-${n}`), {
          ...ICS,
          'If-None-Match': '*',
        });
        expect(answer, [201, 204], 'PUT');
      };
    },
  },
];

/** Seeds the dataset over HTTP, one PUT in flight per client; every PUT must create. */
export async function seed(clients: LoadClient[], collections: LoadCollections, dataset: LoadDataset): Promise<void> {
  const VCF = { 'Content-Type': 'text/vcard; charset=utf-8' };
  const jobs: ((client: LoadClient) => Promise<LoadAnswer>)[] = [
    ...Array.from({ length: dataset.events }, (_, i) => (c: LoadClient) => c.send('PUT', `${collections.calendar}${dataset.eventName(i)}`, dataset.event(i), { ...ICS, 'If-None-Match': '*' })),
    ...Array.from({ length: dataset.contacts }, (_, i) => (c: LoadClient) => c.send('PUT', `${collections.book}${dataset.contactName(i)}`, dataset.contact(i), { ...VCF, 'If-None-Match': '*' })),
  ];
  // The first alone: DAViCal races on storing a VTIMEZONE it has not seen (concurrent first PUTs answer 500, a unique violation).
  const first = await jobs[0](clients[0]);
  if (first.status !== 201 && first.status !== 204) throw new Error(`seed PUT 0: ${first.status} ${first.text.slice(0, 200)}`);
  let next = 1;
  await Promise.all(
    clients.map(async (client) => {
      while (next < jobs.length) {
        const k = next++;
        const answer = await jobs[k](client);
        if (answer.status !== 201 && answer.status !== 204) throw new Error(`seed PUT ${k}: ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    }),
  );
}
