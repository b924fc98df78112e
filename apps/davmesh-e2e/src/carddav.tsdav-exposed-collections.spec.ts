import { ContactObjectsList } from '@davmesh/contracts';
import { APPLE_ADDRESSBOOK_UA, DAVX5_441_UA, eventually, vcard } from '@davmesh/testing';
import { carddavNodePerSuite, personalBook, tsdavSession } from './carddav.fixture';

const AGGREGATED = '/dav/carddav/Contacts/';
const GAL = '/dav/carddav/6/';
const TEAM = '/dav/carddav/team/';
const AGENTS = { apple: APPLE_ADDRESSBOOK_UA, davx5: DAVX5_441_UA } as const;

/** The books each user agent is shown, per mode: `personal` stands for the user's personal folder. */
const EXPECTED: Record<'0' | '1' | '2', Record<keyof typeof AGENTS, string[]>> = {
  '0': { apple: [AGGREGATED], davx5: ['personal', GAL, TEAM] },
  '1': { apple: ['personal', GAL, TEAM], davx5: ['personal', GAL, TEAM] },
  '2': { apple: [AGGREGATED], davx5: [AGGREGATED] },
};
const CASES = (['0', '1', '2'] as const).flatMap((mode) => (['apple', 'davx5'] as const).map((agent) => [mode, agent] as const));

describe('exposedCollections 0, 1 and 2 through a real CardDAV client (tsdav) as Apple Address Book and as DAVx5 (embedded)', () => {
  const server = carddavNodePerSuite();
  let users = 0;

  beforeAll(async () => {
  }, 60_000);

  it.each(CASES)('mode %s, %s: the books shown, their contents, and where a new contact lands', async (mode, agentName) => {
    users++;
    const agent = await server().addUser(`ua${users}`, `UA ${users}`);
    const { login } = agent.user;
    const password = `ua${users}-pw`;
    const personal = await personalBook(agent);
    expect((await agent.put(`${personal}mine${users}.vcf`, vcard(`mine-${users}`, 'Mine'))).status).toBe(201);
    expect((await agent.request('MKCOL', TEAM).send('')).status).toBe(201);
    expect((await agent.put(`${TEAM}team${users}.vcf`, vcard(`team-${users}`, 'Team'))).status).toBe(201);
    if (mode !== '0') await agent.configure('com.openexchange.carddav.exposedCollections', mode);
    const expected = EXPECTED[mode][agentName].map((b) => (b === 'personal' ? personal : b)).sort();

    let session: Awaited<ReturnType<typeof tsdavSession>> | undefined;
    await eventually(async () => {
      session = await tsdavSession(server().url, login, password, AGENTS[agentName]);
      expect(session.books).toEqual(expected);
    });
    const galEntry = `gal-user-${agent.user.userId}.vcf`;
    if (expected.includes(AGGREGATED)) {
      expect(session!.contents[AGGREGATED]).toEqual(expect.arrayContaining([`mine${users}.vcf`, `team${users}.vcf`, galEntry]));
    } else {
      expect(session!.contents[personal]).toEqual([`mine${users}.vcf`]);
      expect(session!.contents[TEAM]).toEqual([`team${users}.vcf`]);
      expect(session!.contents[GAL]).toContain(galEntry);
    }

    // A contact created in the aggregated book, else in the personal one, lands in the personal folder.
    const book = expected.includes(AGGREGATED) ? AGGREGATED : personal;
    const created = await tsdavSession(server().url, login, password, AGENTS[agentName], { book, uid: `new-${users}` });
    expect(created.created).toBe(201);
    const personalId = Number(personal.split('/')[3]);
    const stored = await server().bus.call(ContactObjectsList, { userId: agent.user.userId, contextId: server().contextId, folderIds: [personalId], withData: false });
    expect(stored.items.map((o) => o.name)).toEqual([`mine${users}.vcf`, `new-${users}.vcf`]);
  });
});
