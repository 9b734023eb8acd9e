import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { identifiersIn, SqlConstant, SqlConstants } from './sql-constants';
import { normalize, renderSql } from './sql-text';

/** The `Database` methods that take SQL as their first argument. */
const SQL_METHODS = new Set(['query', 'one', 'execute']);

export interface RepositorySql {
  /** Path from the repository root, with forward slashes. */
  file: string;
  /** Absent for the file's top-level functions. */
  className?: string;
  /** Module-level constants the statements interpolate (`${ORDER_COLUMNS}`), here or in a relatively imported file. */
  constants: SqlConstant[];
  /**
   * In source order; `method` is the class member the call is in, `via` the receiver of a
   * `.query()` that is not `Database` (a connection held for a stream: `client`), `replica`
   * set for the lag-tolerant reads sent through `this.<db>.replica`.
   */
  statements: Array<{ method: string; sql: string; via?: string; replica?: true }>;
}

/** Every `libs/<lib>/src/**\/*.repository.ts` under `root`, sorted, as paths from `root`. */
export function repositoryFiles(root: string): string[] {
  return (readdirSync(path.join(root, 'libs'), { recursive: true }) as string[])
    .map((file) => `libs/${file.split(path.sep).join('/')}`)
    .filter((file) => /^libs\/[^/]+\/src\/.+\.repository\.ts$/.test(file))
    .sort();
}

export function collectRepositorySql(root: string): RepositorySql[] {
  const texts = new Map<string, string | undefined>();
  const readSource = (file: string) => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(path.join(root, file), 'utf8'));
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
  const constants = new SqlConstants(readSource);
  return repositoryFiles(root).flatMap((file) => collectFromSource(file, readSource(file)!, constants));
}

/**
 * The SQL each repository class in one source file passes to `this.<db>.query/one/execute`,
 * where `<db>` is a field typed `Database`, or to any other `.query()` (the pg client of a
 * connection held for a stream), and the SQL the file's top-level functions pass to a
 * `.query()` (an export's batch reader), as one more entry with no class name. Read from
 * the syntax tree only: string and template literals as written, `${expr}` kept as text.
 */
export function collectFromSource(
  file: string,
  text: string,
  constants = new SqlConstants((name) => (name === file ? text : undefined)),
): RepositorySql[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const repositories: RepositorySql[] = [];
  const collect = (
    className: string | undefined,
    members: Array<{ name: string; node: ts.Node }>,
    databaseFields: Set<string>,
  ) => {
    const statements: RepositorySql['statements'] = [];
    const names = new Set<string>();
    for (const member of members) {
      const visit = (node: ts.Node): void => {
        const call = sqlCall(node, databaseFields, source);
        if (call) {
          statements.push({
            method: member.name,
            sql: normalize(renderSql(call.sql, source)),
            ...(call.via && { via: call.via }),
            ...(call.replica && { replica: true as const }),
          });
          identifiersIn(call.sql).forEach((name) => names.add(name));
        }
        ts.forEachChild(node, visit);
      };
      ts.forEachChild(member.node, visit);
    }
    if (statements.length > 0) {
      repositories.push({ file, className, constants: constants.used(file, names), statements });
    }
  };
  const functions: Array<{ name: string; node: ts.Node }> = [];
  for (const statement of source.statements) {
    if (ts.isClassDeclaration(statement) && statement.name) {
      const members = statement.members.map((member) => ({ name: memberName(member, source), node: member }));
      collect(statement.name.text, members, fieldsTypedDatabase(statement));
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      functions.push({ name: statement.name.text, node: statement });
    }
  }
  collect(undefined, functions, new Set());
  return repositories;
}

/** Names of the fields (constructor parameter properties or declared properties) whose type is `Database`. */
function fieldsTypedDatabase(declaration: ts.ClassDeclaration): Set<string> {
  const names = new Set<string>();
  const isDatabase = (type: ts.TypeNode | undefined) =>
    type !== undefined && ts.isTypeReferenceNode(type) && type.typeName.getText() === 'Database';
  for (const member of declaration.members) {
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && ts.getModifiers(parameter)?.length && isDatabase(parameter.type)) {
          names.add(parameter.name.text);
        }
      }
    } else if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && isDatabase(member.type)) {
      names.add(member.name.text);
    }
  }
  return names;
}

/**
 * The SQL argument of `this.<databaseField>.<query|one|execute>(sql, ...)` or
 * `this.<databaseField>.replica.<query|one>(sql, ...)`, or of any other
 * `<receiver>.query(sql, ...)` with the receiver's text as `via`.
 */
function sqlCall(
  node: ts.Node,
  databaseFields: Set<string>,
  source: ts.SourceFile,
): { sql: ts.Expression; via?: string; replica?: boolean } | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.arguments.length === 0) {
    return undefined;
  }
  const { expression: receiver, name } = node.expression;
  const isDatabaseField = (expression: ts.Expression) =>
    ts.isPropertyAccessExpression(expression) &&
    expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
    databaseFields.has(expression.name.text);
  if (isDatabaseField(receiver)) {
    return SQL_METHODS.has(name.text) ? { sql: node.arguments[0] } : undefined;
  }
  if (
    ts.isPropertyAccessExpression(receiver) &&
    receiver.name.text === 'replica' &&
    isDatabaseField(receiver.expression)
  ) {
    return SQL_METHODS.has(name.text) ? { sql: node.arguments[0], replica: true } : undefined;
  }
  return name.text === 'query' ? { sql: node.arguments[0], via: receiver.getText(source) } : undefined;
}

function memberName(member: ts.ClassElement, source: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(member)) {
    return 'constructor';
  }
  return member.name ? member.name.getText(source) : '(anonymous)';
}
