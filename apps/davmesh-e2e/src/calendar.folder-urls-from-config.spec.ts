import { CalendarFolderUrls, CalendarFoldersCreate, ConfigSet, UsersFindByLogin } from '@davmesh/contracts';
import { startEmbeddedServer, type EmbeddedServer } from './caldav-test-server';

describe('com.openexchange.caldav.url resolved per folder, over the bus (embedded)', () => {
  let server: EmbeddedServer;

  beforeAll(async () => {
    server = await startEmbeddedServer();
  });

  afterAll(() => server.close());

  it('replaces [hostname] and [folderId] for each calendar, following the config cascade', async () => {
    const bus = server.node.bus;
    const demo = await bus.call(UsersFindByLogin, { login: 'demo' });
    await bus.call(CalendarFoldersCreate, { userId: demo.userId, collectionName: 'Team Plan', components: ['VEVENT'] });
    const defaults = await bus.call(CalendarFolderUrls, { userId: demo.userId, hostname: 'dav.example.org' });
    const byDefault = defaults.find((f) => f.collectionName === String(f.folderId))!;
    expect(byDefault.url).toBe(`https://dav.example.org/dav/caldav/${byDefault.folderId}`);
    expect(defaults.find((f) => f.collectionName === 'Team Plan')?.url).toBe('https://dav.example.org/dav/caldav/Team%20Plan');
    await bus.call(ConfigSet, { key: 'com.openexchange.caldav.url', value: 'https://[hostname]/caldav/[folderId]', userId: demo.userId });
    const configured = await bus.call(CalendarFolderUrls, { userId: demo.userId, hostname: 'groupware.example.org' });
    expect(configured.find((f) => f.collectionName === 'Team Plan')?.url).toBe('https://groupware.example.org/caldav/Team%20Plan');
  });
});
