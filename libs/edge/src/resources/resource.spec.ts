import { resolveResource } from './resource';

describe('resource resolution', () => {
  it('knows the root, the prefix root and principals', () => {
    expect(resolveResource('/', '/dav')).toEqual({ kind: 'root', path: '/' });
    expect(resolveResource('/dav', '/dav')).toEqual({ kind: 'root', path: '/dav/' });
    expect(resolveResource('/dav/principals/users/42', '/dav')).toEqual({
      kind: 'principal',
      path: '/dav/principals/users/42/',
      userId: 42,
    });
    expect(resolveResource('/dav//principals/users/42/?x=1', '/dav')?.kind).toBe('principal');
  });

  it('sends the well-known paths to discovery', () => {
    expect(resolveResource('/.well-known/caldav', '/dav')).toEqual({ kind: 'well-known', path: '/.well-known/caldav', service: 'caldav' });
  });

  it('refuses dot segments, bad escapes and foreign paths', () => {
    expect(resolveResource('/dav/principals/users/1/../2/', '/dav')).toBeUndefined();
    expect(resolveResource('/dav/%E0%A4%A', '/dav')).toBeUndefined();
    expect(resolveResource('/other/', '/dav')).toBeUndefined();
    expect(resolveResource('/dav/principals/users/0/', '/dav')).toBeUndefined();
  });
});

describe('prefix paths', () => {
  it('serves everything at the root when the prefix is /', () => {
    expect(resolveResource('/principals/users/3/', '')).toEqual({ kind: 'principal', path: '/principals/users/3/', userId: 3 });
    expect(resolveResource('/', '')).toEqual({ kind: 'root', path: '/' });
  });

  it('answers requests a proxy forwards under the proxy prefix as if they came under the prefix', () => {
    expect(resolveResource('/servlet/dav/principals/users/3/', '/dav', '/servlet/dav')).toEqual({
      kind: 'principal',
      path: '/dav/principals/users/3/',
      userId: 3,
    });
    expect(resolveResource('/servlet/dav/', '/dav', '/servlet/dav')).toEqual({ kind: 'root', path: '/dav/' });
    expect(resolveResource('/servletx/dav/', '/dav', '/servlet/dav')).toBeUndefined();
  });
});
