import request from 'supertest';
import { UsersAdd, type User } from '@davmesh/contracts';
import { HEALTHZ_PATH } from '@davmesh/edge';
import { basicAuth, parseMultistatus, PRINCIPAL_PROPFIND } from '@davmesh/testing';
import { sharedNodePerSuite } from './shared-node.fixture';

describe('the edge speaking WebDAV (embedded)', () => {
  const server = sharedNodePerSuite();
  let url: string;
  let colleague: User;
  let stranger: User;
  let demo: string;

  beforeAll(async () => {
    url = server().url;
    demo = basicAuth(server().demo.login, server().demo.password);
    colleague = await server().addUser('colleague', 'x', { displayName: 'Col League' });
    const otherContext = await server().addContext('other');
    stranger = await server().bus.call(UsersAdd, { login: `stranger-${otherContext}`, password: 'x', contextId: otherContext });
  });

  it('advertises its DAV classes on OPTIONS', async () => {
    const response = await request(url).options('/dav/').set('Authorization', demo);
    expect(response.status).toBe(200);
    expect(response.headers['dav']).toBe('1, 3, calendar-access, calendar-auto-schedule, calendarserver-sharing, addressbook');
    expect(response.headers['allow']).toContain('PROPFIND');
  });

  it('redirects the RFC 6764 well-known paths to the prefix without asking for credentials', async () => {
    for (const path of ['/.well-known/caldav', '/.well-known/carddav']) {
      const response = await request(url).propfind(path);
      expect(response.status).toBe(301);
      expect(response.headers['location']).toBe('/dav/');
    }
  });

  it('answers the health path without credentials, for load balancer and Kubernetes probes', async () => {
    const response = await request(url).get(HEALTHZ_PATH);
    expect(response.status).toBe(200);
    expect(response.text).toBe('ok\n');
    expect((await request(url).head(HEALTHZ_PATH)).status).toBe(200);
    // Only GET and HEAD: anything else there is an ordinary request that needs credentials.
    expect((await request(url).propfind(HEALTHZ_PATH)).status).toBe(401);
  });

  it('answers PROPFIND on / with the current user principal (macOS does not follow the redirect)', async () => {
    const response = await request(url).propfind('/').set('Authorization', demo).set('Depth', '0').send(PRINCIPAL_PROPFIND);
    expect(response.status).toBe(207);
    const [root] = await parseMultistatus(response.text);
    expect(root.href).toBe('/');
    expect(root.found.has('{DAV:}current-user-principal')).toBe(true);
  });

  it('refuses Depth: infinity with DAV:propfind-finite-depth', async () => {
    const response = await request(url).propfind('/dav/').set('Authorization', demo).set('Depth', 'infinity').send('');
    expect(response.status).toBe(403);
    expect(response.text).toContain('propfind-finite-depth');
  });

  it('answers a PROPFIND without a Depth header as Depth 1 instead of refusing it', async () => {
    const missingDepth = await request(url).propfind('/dav/').set('Authorization', demo).send('');
    expect(missingDepth.status).toBe(207);
    expect((await parseMultistatus(missingDepth.text))[0].href).toBe('/dav/');
  });

  it('answers propname with names only', async () => {
    const response = await request(url)
      .propfind('/dav/')
      .set('Authorization', demo)
      .set('Depth', '0')
      .send('<propfind xmlns="DAV:"><propname/></propfind>');
    const [root] = await parseMultistatus(response.text);
    expect(root.found.get('{DAV:}current-user-principal')?.children).toEqual([]);
    expect(root.found.has('{urn:ietf:params:xml:ns:caldav}calendar-home-set')).toBe(true);
  });

  it('leaves out 404 propstats for Brief: t and Prefer: return=minimal', async () => {
    for (const [header, value] of [
      ['Brief', 't'],
      ['Prefer', 'return=minimal'],
      ['Prefer', 'return-minimal'],
    ]) {
      const response = await request(url).propfind('/dav/').set('Authorization', demo).set('Depth', '0').set(header, value).send(PRINCIPAL_PROPFIND);
      const [root] = await parseMultistatus(response.text);
      expect(root.missing.size).toBe(0);
      expect(root.found.has('{DAV:}current-user-principal')).toBe(true);
    }
  });

  it('shows a principal of the same context and hides one of another context', async () => {
    const same = await request(url)
      .propfind(`/dav/principals/users/${colleague.userId}/`)
      .set('Authorization', demo)
      .set('Depth', '0')
      .send(PRINCIPAL_PROPFIND);
    expect(same.status).toBe(207);
    const [principal] = await parseMultistatus(same.text);
    expect(principal.found.get('{DAV:}displayname')?.text).toBe('Col League');
    const other = await request(url).propfind(`/dav/principals/users/${stranger.userId}/`).set('Authorization', demo).set('Depth', '0').send('');
    expect(other.status).toBe(404);
    const missing = await request(url).propfind('/dav/principals/users/999999/').set('Authorization', demo).set('Depth', '0').send('');
    expect(missing.status).toBe(404);
  });

  it('rejects malformed XML, DTDs and oversized bodies with 4xx', async () => {
    const malformed = await request(url).propfind('/dav/').set('Authorization', demo).set('Depth', '0').send('<propfind xmlns="DAV:"><prop>');
    expect(malformed.status).toBe(400);
    const dtd = await request(url)
      .propfind('/dav/')
      .set('Authorization', demo)
      .set('Depth', '0')
      .send('<!DOCTYPE x [<!ENTITY a "b">]><propfind xmlns="DAV:"><allprop/></propfind>');
    expect(dtd.status).toBe(400);
    const big = await request(url)
      .propfind('/dav/')
      .set('Authorization', demo)
      .set('Depth', '0')
      .send(`<propfind xmlns="DAV:"><prop>${'<displayname/>'.repeat(80_000)}</prop></propfind>`);
    expect(big.status).toBe(413);
  });

  it('answers 404 for unknown paths and 405 with Allow for unsupported methods', async () => {
    expect((await request(url).propfind('/dav/nothing-here/').set('Authorization', demo).send('')).status).toBe(404);
    const put = await request(url).put('/dav/').set('Authorization', demo).send('x');
    expect(put.status).toBe(405);
    expect(put.headers['allow']).toBe('OPTIONS, PROPFIND');
  });

  it('asks unauthenticated requests for Basic credentials, even on unknown paths', async () => {
    const response = await request(url).propfind('/dav/nothing-here/');
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm="davmesh"/);
  });
});
