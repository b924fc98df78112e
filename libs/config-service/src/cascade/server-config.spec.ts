import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServerConfig } from './server-config';

describe('server configuration files', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'davmesh-config-'));
    mkdirSync(join(dir, 'contextSets'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, text: string) => writeFileSync(join(dir, file), text);

  it('reads Java properties syntax: comments, separators, continuation lines and escapes', () => {
    write(
      'carddav.properties',
      [
        '# a comment',
        '! another comment',
        'com.openexchange.carddav.enabled : false',
        'com.openexchange.carddav.ignoreFolders = 6, \\',
        '    42',
        'com.openexchange.carddav.userAgentForAggregatedCollection=.*Address\\u0020Book.*',
        'com.openexchange.caldav.url https://dav.example.org/caldav/[folderId]',
      ].join('\n'),
    );
    const { config, problems } = loadServerConfig(dir);
    expect(problems).toEqual([]);
    expect(config.properties.get('com.openexchange.carddav.enabled')).toEqual({ value: false, source: 'carddav.properties:3' });
    expect(config.properties.get('com.openexchange.carddav.ignoreFolders')?.value).toBe('6,42');
    expect(config.properties.get('com.openexchange.carddav.userAgentForAggregatedCollection')?.value).toBe('.*Address Book.*');
    expect(config.properties.get('com.openexchange.caldav.url')?.source).toBe('carddav.properties:7');
  });

  it('reads the guide\'s context set with its tag expression', () => {
    write('contextSets/caldav.yml', 'premium:\n    com.openexchange.caldav.enabled: true\n    withTags: ucInfostore\n');
    const { config, problems } = loadServerConfig(dir);
    expect(problems).toEqual([]);
    expect(config.contextSets).toHaveLength(1);
    expect(config.contextSets[0]).toMatchObject({ name: 'premium', source: 'contextSets/caldav.yml:1', withTags: 'ucInfostore' });
    expect(config.contextSets[0].values.get('com.openexchange.caldav.enabled')?.value).toBe(true);
  });

  it('reports every bad input with file and line', () => {
    write(
      'caldav.properties',
      [
        'com.openexchange.caldav.enabled=flase',
        'com.openexchange.caldav.enabeld=true',
        'com.openexchange.caldav.interval.start=two_months',
        'com.openexchange.carddav.userAgentForAggregatedCollection=(unclosed',
      ].join('\n'),
    );
    write('contextSets/bad.yml', 'premium:\n  withTags: ucInfostore & (x\n  com.openexchange.dav.prefixPath: /other\nnotags:\n  com.openexchange.caldav.enabled: true\n');
    write('contextSets/broken.yml', 'a: [unclosed\n');
    const { problems } = loadServerConfig(dir);
    const text = problems.map((p) => `${p.where} ${p.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^caldav\.properties:1 .*must be true or false/),
        expect.stringMatching(/^caldav\.properties:2 unknown key "com\.openexchange\.caldav\.enabeld"/),
        expect.stringMatching(/^caldav\.properties:3 .*one_month, six_months, one_year/),
        expect.stringMatching(/^caldav\.properties:4 .*not a valid regular expression/),
        expect.stringMatching(/^contextSets\/bad\.yml:2 bad withTags/),
        expect.stringMatching(/^contextSets\/bad\.yml:3 com\.openexchange\.dav\.prefixPath may be set only at: server/),
        expect.stringMatching(/^contextSets\/bad\.yml:4 context set "notags" has no withTags/),
        expect.stringMatching(/^contextSets\/broken\.yml:\d+ /),
      ]),
    );
  });

  it('has nothing to say about a directory that does not exist', () => {
    expect(loadServerConfig(join(dir, 'absent'))).toEqual({ config: { properties: new Map(), contextSets: [] }, problems: [] });
  });
});
