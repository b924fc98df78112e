import { MultistatusWriter } from './multistatus';
import { dav } from './names';
import { propertyInstructions, propertyUpdatePropstats, readPropertyUpdate, type PropertySetter } from './property-update';
import { parseXml } from './xml-parse';

const NOTE = { ns: 'urn:x', local: 'note' };
const dead = (): PropertySetter<never> => undefined;

describe('property updates: document order, all or nothing, dead values kept as written', () => {
  it('keeps a dead property with its prefixes, mixed content and the xml:lang in scope (RFC 4918 4.3)', async () => {
    const body = await parseXml(
      '<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:set><D:prop xml:lang="de"><x:note>Hallo <x:b>Welt</x:b>!</x:note></D:prop></D:set></D:propertyupdate>',
    );
    const update = readPropertyUpdate(propertyInstructions(body), dead, 4096);
    expect(update.setDead).toEqual([{ ns: 'urn:x', name: 'note', xml: '<x:note xmlns:D="DAV:" xmlns:x="urn:x" xml:lang="de">Hallo <x:b>Welt</x:b>!</x:note>' }]);
    const writer = new MultistatusWriter();
    const response = writer.open() + writer.response({ href: '/c/', propstats: [{ status: 200, props: [{ name: NOTE, stored: update.setDead[0].xml }] }] }) + writer.close();
    const note = (await parseXml(response)).children[0].children[1].children[0].children[0];
    expect(note).toMatchObject({ name: NOTE, prefix: 'x', lang: 'de', text: 'Hallo !' });
    expect(note.content.map((piece) => (typeof piece === 'string' ? piece : [piece.prefix, piece.name.local, piece.text]))).toEqual(['Hallo ', ['x', 'b', 'Welt'], '!']);
  });

  it('applies set and remove in document order, the later instruction winning', async () => {
    const read = async (instructions: string) =>
      readPropertyUpdate(propertyInstructions(await parseXml(`<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x">${instructions}</D:propertyupdate>`)), dead, 4096);
    const removeThenSet = await read('<D:remove><D:prop><x:k/></D:prop></D:remove><D:set><D:prop><x:k>v</x:k></D:prop></D:set>');
    expect([removeThenSet.setDead.map((p) => p.name), removeThenSet.removeDead]).toEqual([['k'], []]);
    expect(propertyUpdatePropstats(removeThenSet)).toEqual([{ status: 200, props: [{ name: { ns: 'urn:x', local: 'k' } }] }]);
    const setThenRemove = await read('<D:set><D:prop><x:k>v</x:k></D:prop></D:set><D:remove><D:prop><x:k/></D:prop></D:remove>');
    expect([setThenRemove.setDead, setThenRemove.removeDead]).toEqual([[], [{ ns: 'urn:x', name: 'k' }]]);
  });

  it('refuses a protected property with DAV:cannot-modify-protected-property and fails the rest with 424', async () => {
    const body = await parseXml('<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:set><D:prop><D:getetag>"x"</D:getetag><x:k>v</x:k></D:prop></D:set></D:propertyupdate>');
    const update = readPropertyUpdate(propertyInstructions(body), (name) => (name.ns === 'DAV:' ? 'protected' : undefined), 4096);
    expect(propertyUpdatePropstats(update)).toEqual([
      { status: 424, props: [{ name: { ns: 'urn:x', local: 'k' } }] },
      { status: 403, props: [{ name: dav('getetag') }], error: dav('cannot-modify-protected-property') },
    ]);
  });
});
