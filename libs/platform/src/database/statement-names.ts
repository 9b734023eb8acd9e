import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';

/** Distinct statement texts that get a name; past it, statements run unnamed. */
export const MAX_NAMED_STATEMENTS = 500;

/**
 * Names the repositories' statements, so `pg` prepares each once per connection and
 * PostgreSQL keeps its plan: an unnamed statement is parsed, analysed and planned on every
 * execution, which on the order's transaction was most of the database's CPU (measured:
 * docs/performance.md, "Prepared statements"). PostgreSQL still plans a statement afresh
 * for its parameters while a generic plan would cost more (its plan cache mode `auto`),
 * so an optional filter (`$1 IS NULL OR user_id = $1`) keeps its index.
 *
 * Off behind PgBouncer in transaction pooling (`DATABASE_POOLER=pgbouncer`): a statement
 * prepared on one server connection is unknown on the next. The first
 * MAX_NAMED_STATEMENTS texts get names; SQL built at run time beyond that runs unnamed, so
 * neither this map nor each connection's prepared statements can grow without bound.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly enabled: boolean,
    private readonly max = MAX_NAMED_STATEMENTS,
  ) {}

  /** What `pg` runs for `sql` with `values`. */
  queryConfig(sql: string, values: unknown[]): QueryConfig {
    if (!this.enabled) {
      return { text: sql, values };
    }
    let name = this.names.get(sql);
    if (name === undefined) {
      if (this.names.size >= this.max) {
        return { text: sql, values };
      }
      // Made from the text, not counted: every instance names a text alike, so connections
      // shared between instances (two Nest apps in one process, whose @Transactional()
      // may run on the other's DataSource) never see one name for two texts.
      name = `app_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
      this.names.set(sql, name);
    }
    return { name, text: sql, values };
  }
}
