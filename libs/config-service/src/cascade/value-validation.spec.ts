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
