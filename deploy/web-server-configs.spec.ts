import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { APACHE_DIR, apacheTest, NGINX_DIR, nginxMainFile, nginxTest, scratchWithCertificates, siteFile } from './web-server-configs.fixture';

// Debian's nginx and apache2 (.ci/run installs them).
describe('deploy/nginx and deploy/apache (the admin guide\'s virtual host and prefix path)', () => {
  const scratch = scratchWithCertificates(['example.org', 'dav.example.org']);
  const upstream = readFileSync(join(NGINX_DIR, 'upstream.conf'), 'utf8');
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(['prefix-path.conf', 'virtual-host.conf'])('nginx -t accepts nginx/%s', (file) => {
    const check = nginxTest(scratch, nginxMainFile(scratch, upstream, siteFile(join(NGINX_DIR, file), scratch)));
    expect(check.output).toContain('test is successful');
    expect(check.ok).toBe(true);
  });

  it.each(['prefix-path.conf', 'virtual-host.conf'])('apache2ctl -t accepts apache/%s', (file) => {
    const check = apacheTest(scratch, siteFile(join(APACHE_DIR, file), scratch));
    expect(check.output).toContain('Syntax OK');
    expect(check.ok).toBe(true);
  });

  it('the checks read the site file: a misspelt directive fails both', () => {
    const nginxSite = siteFile(join(NGINX_DIR, 'prefix-path.conf'), scratch).replace('proxy_pass', 'proxy_passs');
    expect(nginxTest(scratch, nginxMainFile(scratch, upstream, nginxSite)).ok).toBe(false);
    const apacheSite = siteFile(join(APACHE_DIR, 'prefix-path.conf'), scratch).replace('ProxyPass /dav', 'ProxyPasss /dav');
    expect(apacheTest(scratch, apacheSite).ok).toBe(false);
  });

  it('forwards the context path and both well-known paths, with the client\'s Host', () => {
    for (const dir of [NGINX_DIR, APACHE_DIR]) {
      const site = readFileSync(join(dir, 'prefix-path.conf'), 'utf8');
      for (const path of ['/dav', '/.well-known/caldav', '/.well-known/carddav']) expect(site).toContain(path);
    }
    expect(readFileSync(join(NGINX_DIR, 'proxy.conf'), 'utf8')).toMatch(/proxy_set_header Host \$http_host;/);
    expect(readFileSync(join(APACHE_DIR, 'prefix-path.conf'), 'utf8')).toMatch(/ProxyPreserveHost On/);
  });
});
