import { APPLE_CONTACTS_UA } from '@davmesh/testing';
import { allowedEffect, invisibleTo, snapshot, targetSecrets } from './dav.authorisation-matrix.checks';
import { attempt, multigetBody, prepare, syncBody } from './dav.authorisation-matrix.requests';
import { MATRIX, type Answer, type Cell } from './dav.authorisation-matrix.table';
import { buildWorld, type World } from './dav.authorisation-matrix.world';
import { sharedNodePerSuite } from './shared-node.fixture';

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };

const STATUS: Partial<Record<Answer, number>> = { '200': 200, '201': 201, '204': 204, '207': 207, 'need-privileges': 403, 'supported-report': 403, '404': 404, '405': 405 };
const CONDITION: Partial<Record<Answer, string>> = { 'need-privileges': '<d:need-privileges/>', 'supported-report': '<d:supported-report/>' };

const AGGREGATED = '/dav/carddav/Contacts/';
/** The aggregated book is shown to Apple's Contacts (com.openexchange.carddav.exposedCollections 0). */
const userAgentFor = (collection: string): Record<string, string> => (collection === AGGREGATED ? { 'User-Agent': APPLE_CONTACTS_UA } : {});

/** The secrets a body carries; [] when it is clean. */
const leaked = (text: string, secrets: string[]) => secrets.filter((secret) => text.includes(secret));

describe('authorisation matrix: who may do what to which resource, over CalDAV and CardDAV', () => {
  const server = sharedNodePerSuite();
  let world: World;

  beforeAll(async () => {
    world = await buildWorld(server());
  }, 60_000);

  describe('hrefs inside REPORT bodies reach no further than the request URI', () => {
    const objectOf = (area: 'caldav' | 'carddav', kind: "another user's folder" | "another context's folder", by: 'id' | 'owner') => {
      const folder = world.folders[area][kind]!;
      return `${by === 'id' ? folder.path : folder.ownerPath}${folder.names.item}`;
    };

    it('a calendar-multiget on a calendar bob may read, naming objects of alice\'s private and dave\'s calendars, answers 404 for each and no data', async () => {
      const hrefs = [objectOf('caldav', "another user's folder", 'id'), objectOf('caldav', "another user's folder", 'owner'), objectOf('caldav', "another context's folder", 'id')];
      for (const collection of [world.folders.caldav['shared read-only']!.path, world.second.caldav.bob]) {
        const response = await world.as.bob('REPORT', collection, { ...XML, Depth: '1' }, multigetBody('caldav', hrefs));
        expect(response.status).toBe(207);
        for (const href of hrefs) expect(response.text).toContain(`<d:href>${href}</d:href><d:status>HTTP/1.1 404 Not Found</d:status>`);
        expect(leaked(response.text, invisibleTo(world, 'bob'))).toEqual([]);
      }
    });

    it('an addressbook-multiget on the aggregated book and the GAL, naming alice\'s private and dave\'s contacts and dave\'s GAL entry, answers 404 for each and no data', async () => {
      // Contact names are unique per context, and the aggregated book looks names up across folders.
      const names = [world.folders.carddav["another user's folder"]!.names.item, world.folders.carddav["another context's folder"]!.names.item];
      const cases: [string, string[]][] = [
        [AGGREGATED, names.map((name) => `${AGGREGATED}${name}`)],
        ['/dav/carddav/6/', [`/dav/carddav/6/gal-user-${world.users.dave.userId}.vcf`, objectOf('carddav', "another context's folder", 'id')]],
        [world.second.carddav.bob, [objectOf('carddav', "another user's folder", 'id'), objectOf('carddav', "another context's folder", 'owner')]],
      ];
      for (const [collection, hrefs] of cases) {
        const response = await world.as.bob('REPORT', collection, { ...XML, ...userAgentFor(collection), Depth: '1' }, multigetBody('carddav', hrefs));
        expect([collection, response.status]).toEqual([collection, 207]);
        for (const href of hrefs) expect(response.text).toContain(`<d:href>${href}</d:href><d:status>HTTP/1.1 404 Not Found</d:status>`);
        expect(leaked(response.text, invisibleTo(world, 'bob'))).toEqual([]);
      }
    });

    it('a sync-collection carrying the sync token of alice\'s private or dave\'s folder answers 403 valid-sync-token, on every collection bob may sync', async () => {
      for (const area of ['caldav', 'carddav'] as const) {
        const collections = [world.second[area].bob, world.folders[area]['shared read-only']!.path, ...(area === 'carddav' ? [AGGREGATED] : [])];
        for (const kind of ["another user's folder", "another context's folder"] as const) {
          const folder = world.folders[area][kind]!;
          const owned = await world.as[folder.owner]('REPORT', folder.ownerPath, XML, syncBody);
          const token = /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(owned.text)![1];
          for (const collection of collections) {
            const body = syncBody.replace('<D:sync-token/>', `<D:sync-token>${token}</D:sync-token>`);
            const response = await world.as.bob('REPORT', collection, { ...XML, ...userAgentFor(collection) }, body);
            expect([collection, kind, response.status]).toEqual([collection, kind, 403]);
            expect(response.text).toContain('<d:valid-sync-token/>');
            expect(leaked(response.text, invisibleTo(world, 'bob'))).toEqual([]);
          }
        }
      }
    });

    it('expand-property answers 404 on the principal of another context and on a calendar not shared with bob, with no data', async () => {
      const body = '<D:expand-property xmlns:D="DAV:"><D:property name="owner"><D:property name="displayname"/></D:property><D:property name="displayname"/></D:expand-property>';
      for (const target of [world.principal('dave'), world.folders.caldav["another user's folder"]!.path, world.folders.caldav["another context's folder"]!.path]) {
        const response = await world.as.bob('REPORT', target, { ...XML, Depth: '0' }, body);
        expect([target, response.status]).toEqual([target, 404]);
        expect(leaked(response.text, invisibleTo(world, 'bob'))).toEqual([]);
      }
      const shared = await world.as.bob('REPORT', world.folders.caldav['shared read-only']!.path, { ...XML, Depth: '0' }, body);
      expect(shared.status).toBe(207);
      expect(shared.text).toContain('Alice Anderson');
    });

    it('a folder of another user or context answers exactly as a folder that does not exist', async () => {
      for (const area of ['caldav', 'carddav'] as const) {
        for (const kind of ["another user's folder", "another context's folder"] as const) {
          const hidden = world.folders[area][kind]!.path;
          const missing = `/dav/${area}/999999/`;
          for (const [method, suffix, depth] of [['PROPFIND', '', '1'], ['GET', 'x', '0'], ['DELETE', '', '0'], ['REPORT', '', '1']] as const) {
            const body = method === 'REPORT' ? syncBody : method === 'PROPFIND' ? '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>' : undefined;
            const [a, b] = await Promise.all([hidden, missing].map((path) => world.as.bob(method, `${path}${suffix}`, { ...XML, Depth: depth }, body)));
            expect([kind, method, a.status, a.text]).toEqual([kind, method, b.status, b.text]);
          }
        }
      }
    });
  });

  describe('the matrix', () => {
    const title = (cell: Cell) => `${cell.area}, ${cell.who} → ${cell.kind}: ${cell.method} ${cell.note ? `is disputed (${cell.note})` : `answers ${cell.answer}`}`;
    it.each(MATRIX.map((cell) => [title(cell), cell] as const))('%s', async (_name, cell) => {
      const { area, who, kind, method, answer } = cell;
      await prepare(world, area, kind, method, who);
      const before = await snapshot(world, area, kind, method, who);
      const response = await attempt(world, area, kind, method, who);

      expect(leaked(response.text, invisibleTo(world, who))).toEqual([]);
      const status = STATUS[answer];
      if (status !== undefined) expect(response.status).toBe(status);
      const condition = CONDITION[answer];
      if (condition) expect(response.text).toContain(condition);

      if (response.status < 300) {
        expect(await allowedEffect(world, area, kind, method, who, response.text)).toBeUndefined();
      } else {
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(leaked(response.text, targetSecrets(world, area, kind))).toEqual([]);
        expect(await snapshot(world, area, kind, method, who)).toEqual(before);
      }
    });
  });
});
