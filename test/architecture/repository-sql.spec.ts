import { collectFromSource, normalize } from './repository-sql';

const SOURCE = `
import { Database } from '@app/platform';

const COLUMNS = 'id, name';
const LIMIT = 50;
const SELECT_ALL = \`SELECT \${COLUMNS} FROM widgets\`;

export class WidgetsRepository {
  private readonly replica: Database;
  constructor(private readonly db: Database, private readonly other: { query(sql: string): void }) {}

  async find(id: string) {
    return this.db.one(\`\${SELECT_ALL}
        WHERE id = $1
          AND deleted_at IS NULL\`, [id]);
  }

  async rename(id: string, name: string) {
    await this.db.execute('UPDATE widgets SET name = $2 ' + 'WHERE id = $1', [id, name]);
    await this.replica.query("SELECT pg_sleep(0)");
    this.other.query('NOT RECORDED: not a Database');
  }

  async page(order: 'asc' | 'desc') {
    return this.db.query(\`SELECT \${COLUMNS} FROM widgets ORDER BY id \${order === 'asc' ? 'ASC' : 'DESC'} LIMIT \${LIMIT}\`);
  }
}

export class NoSql {}
`;

describe('collectFromSource (the SQL snapshots collector)', () => {
  const [repository, ...others] = collectFromSource('libs/widgets/src/widgets.repository.ts', SOURCE);

  it('records each class that runs SQL through a Database field, by method, in source order', () => {
    expect(others).toEqual([]);
    expect(repository.className).toBe('WidgetsRepository');
    expect(repository.statements).toEqual([
      { method: 'find', sql: '${SELECT_ALL}\n  WHERE id = $1\n    AND deleted_at IS NULL' },
      { method: 'rename', sql: 'UPDATE widgets SET name = $2 WHERE id = $1' },
      { method: 'rename', sql: 'SELECT pg_sleep(0)' },
      {
        method: 'page',
        sql: "SELECT ${COLUMNS} FROM widgets ORDER BY id ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT ${LIMIT}",
      },
    ]);
  });

  it('records the module constants the statements interpolate, and those they interpolate in turn', () => {
    expect(repository.constants).toEqual([
      { name: 'COLUMNS', text: 'id, name' },
      { name: 'LIMIT', text: '50' },
      { name: 'SELECT_ALL', text: 'SELECT ${COLUMNS} FROM widgets' },
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
