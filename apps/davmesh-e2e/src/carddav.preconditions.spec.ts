import request from 'supertest';
import { basicAuth, DAVX5_UA, vcard } from '@davmesh/testing';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('CardDAV preconditions: refused writes answer the RFC 6352 element and store nothing', () => {
  const server = sharedNodePerSuite();
  let personal: string;
  let demo: string;
  const put = (path: string, body: string, type = 'text/vcard; charset=utf-8') =>
    request(server().url).put(path).set('Authorization', demo).set('User-Agent', DAVX5_UA).set('Content-Type', type).send(body);
  const get = (path: string) => request(server().url).get(path).set('Authorization', demo).set('User-Agent', DAVX5_UA);

  beforeAll(async () => {
    demo = basicAuth(server().demo.login, server().demo.password);
    const home = await request(server().url).propfind('/dav/carddav/').set('Authorization', demo).set('User-Agent', DAVX5_UA).set('Depth', '1').send('');
    personal = /<d:href>(\/dav\/carddav\/\d{4,}\/)<\/d:href>/.exec(home.text)![1];
  }, 60_000);

  it('refuses a PUT into the global address list with 403 need-privileges', async () => {
    const response = await put('/dav/carddav/6/x.vcf', vcard('gal-x', 'X'));
    expect(response.status).toBe(403);
    expect(response.text).toMatch(/<d:need-privileges\/>/);
    expect((await get('/dav/carddav/6/x.vcf')).status).toBe(404);
  });

  it('refuses a body that is no vCard with valid-address-data', async () => {
    const response = await put(`${personal}bad.vcf`, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:no uid\r\nEND:VCARD\r\n');
    expect(response.status).toBe(403);
    expect(response.text).toContain('valid-address-data');
    expect((await get(`${personal}bad.vcf`)).status).toBe(404);
  });

  it('refuses another media type or vCard version with supported-address-data', async () => {
    expect((await put(`${personal}t.vcf`, 'hello', 'text/plain')).text).toContain('supported-address-data');
    const old = await put(`${personal}old.vcf`, vcard('old', 'Old').replace('VERSION:3.0', 'VERSION:2.1'));
    expect(old.status).toBe(403);
    expect(old.text).toContain('supported-address-data');
  });

  it('refuses a vCard over max-resource-size', async () => {
    const response = await put(`${personal}big.vcf`, vcard('big', 'Big', [`NOTE:${'x'.repeat(300 * 1024)}`]));
    expect(response.status).toBe(403);
    expect(response.text).toContain('max-resource-size');
  });

  it('refuses a second object with the same UID with no-uid-conflict naming the first', async () => {
    expect((await put(`${personal}one.vcf`, vcard('same-uid', 'One'))).status).toBe(201);
    const response = await put(`${personal}two.vcf`, vcard('same-uid', 'Two'));
    expect(response.status).toBe(409);
    expect(response.text).toContain('no-uid-conflict');
    expect(response.text).toContain(`${personal}one.vcf`);
    expect((await get(`${personal}two.vcf`)).status).toBe(404);
  });

  it('decides If-Match, If-None-Match and the If: header against the stored etag', async () => {
    const created = await put(`${personal}c.vcf`, vcard('c', 'C'));
    const etag = created.headers['etag'];
    const again = await put(`${personal}c.vcf`, vcard('c', 'C2')).set('If-None-Match', '*');
    expect(again.status).toBe(412);
    expect((await put(`${personal}c.vcf`, vcard('c', 'C3')).set('If-Match', '"stale"')).status).toBe(412);
    const viaIf = await put(`${personal}c.vcf`, vcard('c', 'C4')).set('If', `(["${etag.slice(1, -1)}"])`);
    expect(viaIf.status).toBe(204);
    expect((await get(`${personal}c.vcf`)).text).toContain('FN:C4');
  });

  it('converts on GET to the version the client accepts', async () => {
    await put(`${personal}v.vcf`, vcard('v', 'Vee', ['TEL;TYPE=CELL,PREF:+1 555']));
    const v4 = await get(`${personal}v.vcf`).set('Accept', 'text/vcard; version=4.0');
    expect(v4.text).toMatch(/VERSION:4\.0/);
    expect(v4.text).toMatch(/TEL;TYPE=CELL;PREF=1/);
    expect(v4.headers['etag']).toMatch(/^"/);
  });

  it('answers an unknown sync token with DAV:valid-sync-token', async () => {
    const bad = await (request(server().url) as unknown as { report(path: string): request.Test })
      .report(personal)
      .set('Authorization', demo)
      .set('User-Agent', DAVX5_UA)
      .send('<sync-collection xmlns="DAV:"><sync-token>http://example.org/forged</sync-token><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>');
    expect(bad.status).toBe(403);
    expect(bad.text).toContain('valid-sync-token');
  });
});
