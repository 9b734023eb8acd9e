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
  className: string;
  /** Module-level constants the statements interpolate (`${ORDER_COLUMNS}`), here or in a relatively imported file. */
  constants: SqlConstant[];
  /** In source order; `method` is the class member the call is in. */
  statements: Array<{ method: string; sql: string }>;
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
 * where `<db>` is a field typed `Database`. Read from the syntax tree only: string and
 * template literals as written, with `${expr}` kept as text.
 */
export function collectFromSource(
  file: string,
  text: string,
  constants = new SqlConstants((name) => (name === file ? text : undefined)),
): RepositorySql[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const repositories: RepositorySql[] = [];
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) {
      continue;
    }
    const databaseFields = fieldsTypedDatabase(statement);
    const statements: RepositorySql['statements'] = [];
    const names = new Set<string>();
    for (const member of statement.members) {
      const method = memberName(member, source);
      const visit = (node: ts.Node): void => {
        const sqlArgument = databaseCallSql(node, databaseFields);
        if (sqlArgument) {
          statements.push({ method, sql: normalize(renderSql(sqlArgument, source)) });
          identifiersIn(sqlArgument).forEach((name) => names.add(name));
        }
        ts.forEachChild(node, visit);
      };
      ts.forEachChild(member, visit);
    }
    if (statements.length > 0) {
      repositories.push({ file, className: statement.name.text, constants: constants.used(file, names), statements });
    }
  }
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

/** The SQL argument when `node` is `this.<databaseField>.<query|one|execute>(sql, ...)`. */
function databaseCallSql(node: ts.Node, databaseFields: Set<string>): ts.Expression | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) {
    return undefined;
  }
  const { expression: receiver, name } = node.expression;
  const onDatabase =
    ts.isPropertyAccessExpression(receiver) &&
    receiver.expression.kind === ts.SyntaxKind.ThisKeyword &&
    databaseFields.has(receiver.name.text);
  return onDatabase && SQL_METHODS.has(name.text) ? node.arguments[0] : undefined;
}

function memberName(member: ts.ClassElement, source: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(member)) {
    return 'constructor';
  }
  return member.name ? member.name.getText(source) : '(anonymous)';
}
