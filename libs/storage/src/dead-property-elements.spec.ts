import { PGlite } from '@electric-sql/pglite';
import { type QueryRunner } from 'typeorm';
import { parseXml, type XmlElement } from '@davmesh/dav';
import { deadPropertyElementsMigration } from './dead-property-elements';

describe('the migration of dead property values from inner XML to the element as written', () => {
  it('wraps each stored value in its property element, which a namespace-aware parser reads back with the same content, and unwraps it on the way down', async () => {
    const db = new PGlite();
    const runner = { query: (sql: string) => db.query(sql) } as unknown as QueryRunner;
    await db.exec(`CREATE SCHEMA s; CREATE TABLE s.dead_properties (ns text, name text, xml text);
      INSERT INTO s.dead_properties VALUES ('urn:a&"b', 'colour', 'red &amp; <x0:shade xmlns:x0="urn:y">dark</x0:shade>'), ('', 'plain', '');`);
    const migration = new (deadPropertyElementsMigration('Spec1700000000000', 's'))();
    await migration.up(runner);
    const rows = (await db.query<{ ns: string; name: string; xml: string }>('SELECT * FROM s.dead_properties ORDER BY name')).rows;
    const elements = await Promise.all(rows.map((row) => parseXml(row.xml)));
    const content = (pieces: XmlElement['content']) => pieces.map((piece) => (typeof piece === 'string' ? piece : [piece.name, piece.text]));
    expect(elements.map((element) => [element.name, content(element.content)])).toEqual([
      [{ ns: 'urn:a&"b', local: 'colour' }, ['red & ', [{ ns: 'urn:y', local: 'shade' }, 'dark']]],
      [{ ns: '', local: 'plain' }, []],
    ]);
    await migration.down(runner);
    expect((await db.query<{ xml: string }>('SELECT xml FROM s.dead_properties ORDER BY name')).rows.map((row) => row.xml)).toEqual([
      'red &amp; <x0:shade xmlns:x0="urn:y">dark</x0:shade>',
      '',
    ]);
    await db.close();
  });
});
