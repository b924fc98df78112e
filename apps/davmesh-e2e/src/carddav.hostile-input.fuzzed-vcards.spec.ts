import { parseVCard } from '@davmesh/vcard';
import { REFUSED_FUZZ_FINDINGS, SERVED_FUZZ_FINDINGS } from '../../../libs/vcard/src/testing/fuzz-findings';
import { carddavNodePerSuite, personalBook, type DavAgent } from './carddav.fixture';

describe('CardDAV hostile input: vCards found by fuzzing are refused at PUT or served in both versions, never a 5xx', () => {
  const server = carddavNodePerSuite();
  let agent: DavAgent;
  let book: string;

  beforeAll(async () => {
    agent = await server().addUser('fuzzed');
    book = await personalBook(agent);
  }, 60_000);

  it.each(Object.entries(SERVED_FUZZ_FINDINGS).map(([what, text], i) => [what, text, i] as const))(
    'stores and serves %s as 3.0 and 4.0',
    async (_, text, i) => {
      const href = `${book}served-${i}.vcf`;
      expect((await agent.put(href, text)).status).toBe(201);
      for (const version of ['3.0', '4.0']) {
        const response = await agent.request('GET', href).set('Accept', `text/vcard; version=${version}`);
        expect(response.status).toBe(200);
        expect(parseVCard(response.text).summary).toMatchObject({ version, fn: 'Fuzz Finding' });
      }
    },
  );

  it.each(Object.entries(REFUSED_FUZZ_FINDINGS).map(([what, text], i) => [what, text, i] as const))(
    'refuses %s with valid-address-data, storing nothing',
    async (_, text, i) => {
      const href = `${book}refused-${i}.vcf`;
      const response = await agent.put(href, text);
      expect(response.status).toBe(403);
      expect(response.text).toContain('valid-address-data');
      expect((await agent.request('GET', href)).status).toBe(404);
    },
  );
});
