// The repository: parameterized SQL through `Database` (libs/catalog/src/products.repository.ts).

export const repositoryFiles = (n) => ({
  [`libs/${n.kebab}/src/${n.kebab}.repository.ts`]: `import { Database } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { ${n.Singular}View } from './${n.singularKebab}.read-model';

/** Every column under its API name, so a row is a \`${n.Singular}View\` but for the timestamps. */
const COLUMNS = 'id, name, description, created_at AS "createdAt", updated_at AS "updatedAt"';

type ${n.Singular}Row = Omit<${n.Singular}View, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };

export interface New${n.Singular}Row {
  id: string;
  name: string;
  description: string | null;
}

export interface ${n.Singular}Changes {
  name?: string;
  description?: string | null;
}

/**
 * The only code that speaks SQL for ${n.words}: it loads and stores, the service decides.
 * Runs in the service's transaction when one is open (\`@Transactional()\`).
 */
@Injectable()
export class ${n.Plural}Repository {
  constructor(private readonly db: Database) {}

  async insert(row: New${n.Singular}Row): Promise<${n.Singular}View> {
    const created = await this.db.one<${n.Singular}Row>(
      \`INSERT INTO ${n.table} (id, name, description) VALUES ($1, $2, $3) RETURNING \${COLUMNS}\`,
      [row.id, row.name, row.description],
    );
    return toView(created!);
  }

  async findById(id: string): Promise<${n.Singular}View | null> {
    const row = await this.db.one<${n.Singular}Row>(\`SELECT \${COLUMNS} FROM ${n.table} WHERE id = $1\`, [id]);
    return row ? toView(row) : null;
  }

  /** Keyset page by id (UUID v7, so creation order); fetches limit + 1. */
  async list(limit: number, afterId?: string): Promise<${n.Singular}View[]> {
    const rows = await this.db.query<${n.Singular}Row>(
      \`SELECT \${COLUMNS} FROM ${n.table} WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2\`,
      [afterId ?? null, limit + 1],
    );
    return rows.map(toView);
  }

  /** Sets the given (defined) fields; null when there is no such ${n.singularWords}. */
  async update(id: string, changes: ${n.Singular}Changes): Promise<${n.Singular}View | null> {
    const row = await this.db.one<${n.Singular}Row>(
      \`UPDATE ${n.table}
          SET name = COALESCE($2::text, name),
              description = CASE WHEN $3::boolean THEN $4::text ELSE description END,
              updated_at = now()
        WHERE id = $1
        RETURNING \${COLUMNS}\`,
      [id, changes.name ?? null, changes.description !== undefined, changes.description ?? null],
    );
    return row ? toView(row) : null;
  }

  /** Whether there was one to delete. */
  async delete(id: string): Promise<boolean> {
    return (await this.db.execute(\`DELETE FROM ${n.table} WHERE id = $1\`, [id])) > 0;
  }
}

function toView(row: ${n.Singular}Row): ${n.Singular}View {
  return { ...row, createdAt: new Date(row.createdAt).toISOString(), updatedAt: new Date(row.updatedAt).toISOString() };
}
`,
});
