import { collectFromSource } from './repository-sql';
import { SqlConstants } from './sql-constants';
import { normalize } from './sql-text';

const SOURCE = `
import { Database } from '@app/platform';
import { WIDGET_TABLE } from './widget.rows';

const COLUMNS = 'id, name';
const LIMIT = 50;
const SELECT_ALL = \`SELECT \${COLUMNS} FROM \${WIDGET_TABLE}\`;
const byKind = (kind: string) => \`SELECT id FROM widgets WHERE kind = '\${kind}'\`;
const SPARES = byKind('spare');

export class WidgetsRepository {
  private readonly replica: Database;
  constructor(private readonly db: Database, private readonly cache: Cache, private readonly connections: Connections) {}

  async find(id: string) {
    return this.db.one(\`\${SELECT_ALL}
        WHERE id = $1
          AND deleted_at IS NULL\`, [id]);
  }

  async rename(id: string, name: string) {
    await this.db.execute('UPDATE widgets SET name = $2 ' + 'WHERE id = $1', [id, name]);
    await this.replica.query("SELECT pg_sleep(0)");
    await this.db.replica.one('SELECT count(*) FROM widgets');
    this.cache.get('NOT RECORDED: not a query');
    const client = await this.connections.hold();
    await client.query(\`SELECT \${COLUMNS} FROM widgets FOR UPDATE\`);
  }

  spares() {
    return this.db.query(SPARES);
  }

  async page(order: 'asc' | 'desc') {
    return this.db.query(\`SELECT \${COLUMNS} FROM widgets ORDER BY id \${order === 'asc' ? 'ASC' : 'DESC'} LIMIT \${LIMIT}\`);
  }
}

export class NoSql {}

async function* pages(client: Client) {
  yield await client.query(\`SELECT \${COLUMNS} FROM widgets LIMIT \${LIMIT}\`);
}
`;

describe('collectFromSource (the SQL snapshots collector)', () => {
  const FILE = 'libs/widgets/src/widgets.repository.ts';
  const files: Record<string, string> = {
    [FILE]: SOURCE,
    'libs/widgets/src/widget.rows.ts': "export const WIDGET_TABLE = 'widgets';",
  };
  const [repository, functions, ...others] = collectFromSource(FILE, SOURCE, new SqlConstants((file) => files[file]));

  it('records each class that runs SQL through a Database field or a held connection, by method, in source order', () => {
    expect(others).toEqual([]);
    expect(repository.className).toBe('WidgetsRepository');
    expect(repository.statements).toEqual([
      { method: 'find', sql: '${SELECT_ALL}\n  WHERE id = $1\n    AND deleted_at IS NULL' },
      { method: 'rename', sql: 'UPDATE widgets SET name = $2 WHERE id = $1' },
      { method: 'rename', sql: 'SELECT pg_sleep(0)' },
      { method: 'rename', sql: 'SELECT count(*) FROM widgets', replica: true },
      { method: 'rename', sql: 'SELECT ${COLUMNS} FROM widgets FOR UPDATE', via: 'client' },
      { method: 'spares', sql: '${SPARES}' },
      {
        method: 'page',
        sql: "SELECT ${COLUMNS} FROM widgets ORDER BY id ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT ${LIMIT}",
      },
    ]);
  });

  it("records the SQL of the file's top-level functions as one more entry, with no class", () => {
    expect(functions).toMatchObject({
      className: undefined,
      statements: [{ method: 'pages', sql: 'SELECT ${COLUMNS} FROM widgets LIMIT ${LIMIT}', via: 'client' }],
    });
  });

  it('records the module constants the statements interpolate, those they name in turn, and those imported from a relative module', () => {
    expect(repository.constants).toEqual([
      { file: 'libs/widgets/src/widget.rows.ts', name: 'WIDGET_TABLE', text: 'widgets' },
      { file: FILE, name: 'COLUMNS', text: 'id, name' },
      { file: FILE, name: 'LIMIT', text: '50' },
      { file: FILE, name: 'SELECT_ALL', text: 'SELECT ${COLUMNS} FROM ${WIDGET_TABLE}' },
      { file: FILE, name: 'SPARES', text: "byKind('spare')" },
      { file: FILE, name: 'byKind', text: "(kind: string) =>\nSELECT id FROM widgets WHERE kind = '${kind}'" },
    ]);
  });

  it('sees a changed query', () => {
    const [changed] = collectFromSource('x.repository.ts', SOURCE.replace('deleted_at IS NULL', 'archived_at IS NULL'));
    expect(changed.statements[0].sql).not.toBe(repository.statements[0].sql);
  });
});

describe('normalize', () => {
  it('drops the indentation the source gives a statement, keeping its relative indentation', () => {
    expect(normalize('\n      SELECT a\n        FROM b\n      WHERE c   \n')).toBe('SELECT a\n  FROM b\nWHERE c');
    expect(normalize('SELECT a\n            FROM b\n              JOIN c')).toBe('SELECT a\n  FROM b\n    JOIN c');
  });
});
