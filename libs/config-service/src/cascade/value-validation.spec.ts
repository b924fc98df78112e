import { checkSetting } from './value-validation';

describe('integer settings', () => {
  it('accepts a whole number within the key range, from a file or the bus', () => {
    expect(checkSetting('davmesh.limits.xml.depth', ' 128 ', 'server')).toEqual({ ok: true, key: 'davmesh.limits.xml.depth', value: 128 });
    expect(checkSetting('davmesh.limits.xml.depth', 32, 'server')).toEqual({ ok: true, key: 'davmesh.limits.xml.depth', value: 32 });
  });

  it('refuses a value outside the range, a fraction, or text, naming the range', () => {
    for (const raw of ['4', '100000', '12.5', 'deep', '']) {
      const checked = checkSetting('davmesh.limits.xml.depth', raw, 'server');
      expect(checked).toEqual({ ok: false, message: expect.stringContaining('from 8 to 1024') });
    }
  });

  it('keeps server limits at the server level', () => {
    expect(checkSetting('davmesh.limits.maxInstances', '100', 'user')).toEqual({ ok: false, message: expect.stringContaining('only at: server') });
  });
});

describe('iMIP relay settings', () => {
  it('accepts an smtp or smtps URL, or nothing, and refuses anything else without showing a password', () => {
    expect(checkSetting('davmesh.imip.smtp.url', 'smtps://cal%40example.org:s3cret@mail.example.org:465', 'server')).toMatchObject({ ok: true });
    expect(checkSetting('davmesh.imip.smtp.url', '', 'server')).toEqual({ ok: true, key: 'davmesh.imip.smtp.url', value: '' });
    const wrong = checkSetting('davmesh.imip.smtp.url', 'https://user:s3cret@mail.example.org', 'server');
    expect(wrong).toEqual({ ok: false, message: expect.stringContaining('smtp or smtps') });
    const garbage = checkSetting('davmesh.imip.smtp.url', 'smtp://user:s3cret@', 'server');
    expect(garbage.ok ? '' : garbage.message).not.toContain('s3cret');
    expect(checkSetting('davmesh.imip.smtp.url', 'smtp://mail.example.org', 'context')).toMatchObject({ ok: false, message: expect.stringContaining('only at: server') });
  });

  it('takes an e-mail address as the sender, or nothing', () => {
    expect(checkSetting('davmesh.imip.from', 'calendar@example.org', 'server')).toMatchObject({ ok: true, value: 'calendar@example.org' });
    expect(checkSetting('davmesh.imip.from', '', 'server')).toMatchObject({ ok: true, value: '' });
    expect(checkSetting('davmesh.imip.from', 'Calendar <calendar@example.org>', 'server')).toMatchObject({ ok: false });
  });
});
