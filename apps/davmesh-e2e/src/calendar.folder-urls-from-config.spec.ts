import { CalendarFolderUrls, CalendarFoldersCreate, ConfigSet } from '@davmesh/contracts';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('com.openexchange.caldav.url resolved per folder, over the bus (embedded)', () => {
  const server = sharedNodePerSuite();

  it('replaces [hostname] and [folderId] for each calendar, following the config cascade', async () => {
    const bus = server().bus;
    const demo = server().demo.user;
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
