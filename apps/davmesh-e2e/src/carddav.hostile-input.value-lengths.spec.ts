import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createLogger } from '@davmesh/logging';
import { loadSettings, startNode, type RunningNode } from '@davmesh/runtime';
import { basicAuth, DAVX5_UA, vcard } from '@davmesh/testing';
import { migratedDataDir } from './embedded-data-dir.fixture';

/** davmesh.limits.propertyLength lowered below max-resource-size, so that it is what a long value meets. */
const PROPERTY_LENGTH = 4096;
/** davmesh.limits.parameterLength left at its default. */
const PARAMETER_LENGTH = 1024;
const PHOTO_BASE64 = 'A'.repeat(PROPERTY_LENGTH * 4);

describe('CardDAV hostile input: parameter and property values over the configured lengths are refused with valid-address-data', () => {
  let root: string;
  let node: RunningNode;
  let book: string;
  const demo = basicAuth('demo', 'demo');
  const send = (method: string, path: string) => request(node.url!)[method.toLowerCase() as 'get'](path).set('Authorization', demo).set('User-Agent', DAVX5_UA);
  const put = (name: string, body: string) => send('PUT', `${book}${name}`).set('Content-Type', 'text/vcard; charset=utf-8').send(body);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'davmesh-vcard-lengths-'));
    const configDir = join(root, 'config');
    mkdirSync(configDir);
    writeFileSync(join(configDir, 'limits.properties'), `davmesh.limits.propertyLength=${PROPERTY_LENGTH}\n`);
    const env = { DAVMESH_DATA: await migratedDataDir(join(root, 'data')), DAVMESH_CONFIG_DIR: configDir, PORT: '0' };
    node = await startNode(loadSettings(env, 'all'), createLogger({ level: 'silent' }), { seedDemo: true });
    const home = await send('PROPFIND', '/dav/carddav/').set('Depth', '1').send('');
    book = /<d:href>(\/dav\/carddav\/\d{4,}\/)<\/d:href>/.exec(home.text)![1];
  }, 60_000);

  afterAll(async () => {
    await node.close();
    rmSync(root, { recursive: true, force: true });
  });

  const refused = async (name: string, body: string) => {
    const response = await put(name, body);
    expect(response.status).toBe(403);
    expect(response.text).toContain('valid-address-data');
    expect((await send('GET', `${book}${name}`)).status).toBe(404);
  };

  it('refuses a parameter value one character over davmesh.limits.parameterLength, accepts one at it', async () => {
    await refused('long-param.vcf', vcard('long-param', 'Long Param', [`EMAIL;X-LABEL=${'p'.repeat(PARAMETER_LENGTH + 1)}:a@example.org`]));
    await refused('long-quoted.vcf', vcard('long-quoted', 'Long Quoted', [`ADR;LABEL="${'q'.repeat(PARAMETER_LENGTH + 1)}":;;1 Main St;;;;`], '4.0'));
    expect((await put('param-at-limit.vcf', vcard('param-at-limit', 'At Limit', [`EMAIL;X-LABEL=${'p'.repeat(PARAMETER_LENGTH)}:a@example.org`]))).status).toBe(201);
    const quoted = vcard('quoted-at-limit', 'Quoted At Limit', [`ADR;LABEL="${'q'.repeat(PARAMETER_LENGTH)}":;;1 Main St;;;;`], '4.0');
    expect((await put('quoted-at-limit.vcf', quoted)).status).toBe(201);
  });

  it('refuses a property value one character over davmesh.limits.propertyLength, even folded, and accepts one at it', async () => {
    await refused('long-note.vcf', vcard('long-note', 'Long Note', [`NOTE:${'n'.repeat(PROPERTY_LENGTH + 1)}`]));
    const folded = `NOTE:${'n'.repeat(PROPERTY_LENGTH + 1)}`.match(/.{1,74}/g)!.join('\r\n ');
    await refused('folded-note.vcf', vcard('folded-note', 'Folded Note', [folded]));
    await refused('long-fn.vcf', vcard('long-fn', 'f'.repeat(PROPERTY_LENGTH + 1)));
    expect((await put('note-at-limit.vcf', vcard('note-at-limit', 'At Limit', [`NOTE:${'n'.repeat(PROPERTY_LENGTH)}`]))).status).toBe(201);
  });

  it('lets inline binary PHOTO, LOGO, SOUND and KEY through, bounded by max-resource-size instead', async () => {
    const v3 = await put('photo-3.vcf', vcard('photo-3', 'Photo Three', [`PHOTO;ENCODING=b;TYPE=JPEG:${PHOTO_BASE64}`, `KEY;ENCODING=B:${PHOTO_BASE64}`]));
    expect(v3.status).toBe(201);
    const v4 = await put('photo-4.vcf', vcard('photo-4', 'Photo Four', [`LOGO:data:image/png;base64,${PHOTO_BASE64}`, `SOUND:data:audio/ogg;base64,${PHOTO_BASE64}`], '4.0'));
    expect(v4.status).toBe(201);
    const converted = await send('GET', `${book}photo-3.vcf`).set('Accept', 'text/vcard; version=4.0');
    expect(converted.status).toBe(200);
    expect(converted.text.replace(/\r\n /g, '')).toContain(`PHOTO:data:image/jpeg;base64,${PHOTO_BASE64}`);
    // A URL is no inline binary, whatever property holds it.
    await refused('photo-url.vcf', vcard('photo-url', 'Photo URL', [`PHOTO;VALUE=uri:https://example.org/${'u'.repeat(PROPERTY_LENGTH)}`]));
  });
});
