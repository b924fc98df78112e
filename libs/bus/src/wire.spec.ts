import { decodeRequestPacket, isMalformedPayload } from './wire';

describe('wire packets', () => {
  it('turns garbage into a malformed marker that still expects a reply', () => {
    const packet = decodeRequestPacket(new TextEncoder().encode('{not json'), 'config.v1.x', true);
    expect(isMalformedPayload(packet.data)).toBe(true);
    expect(packet.id).toEqual(expect.any(String));
  });

  it('answers a bare JSON payload from a non-Nest caller as a request', () => {
    const packet = decodeRequestPacket('{"login":"a"}', 'config.v1.x', true);
    expect(packet).toEqual({ pattern: 'config.v1.x', data: { login: 'a' }, id: expect.any(String) });
  });

  it('keeps a Nest packet as it is', () => {
    expect(decodeRequestPacket('{"pattern":"p","data":1,"id":"7"}', 'p', true)).toEqual({ pattern: 'p', data: 1, id: '7' });
  });
});
