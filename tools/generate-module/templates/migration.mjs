// The table's migration. Migrations stay in one list in libs/platform (docs/decisions.md,
// "Migrations stay in one place"); the file is named for the feature.

export const migrationFile = (n, timestamp) => {
  const module = `${timestamp}-create-${n.kebab}`;
  const className = `Create${n.Plural}${timestamp}`;
  return {
    path: `libs/platform/src/database/migrations/${module}.ts`,
    module,
    className,
    text: `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`
      CREATE TABLE ${n.table} (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        description text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )\`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ${n.table}');
  }
}
`,
  };
};
