import { type MigrationInterface, type QueryRunner } from 'typeorm';

const escaped = (column: string) => `replace(replace(replace(${column}, '&', '&amp;'), '<', '&lt;'), '"', '&quot;')`;

/**
 * The migration, per service, from dead property values kept as inner XML to the whole element
 * as written (RFC 4918 4.3): each stored value is wrapped in its property element; down takes
 * the content back out (attributes and declarations given since are lost).
 */
export function deadPropertyElementsMigration(name: string, schema: string): new () => MigrationInterface {
  const table = `"${schema}"."dead_properties"`;
  return class DeadPropertyElements implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        UPDATE ${table} SET "xml" = CASE WHEN "ns" = ''
          THEN '<' || "name" || '>' || "xml" || '</' || "name" || '>'
          ELSE '<x:' || "name" || ' xmlns:x="' || ${escaped('"ns"')} || '">' || "xml" || '</x:' || "name" || '>' END`);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`UPDATE ${table} SET "xml" = COALESCE(substring("xml" from '^<[^>]*>(.*)</[^>]*>$'), '')`);
    }
  };
}
