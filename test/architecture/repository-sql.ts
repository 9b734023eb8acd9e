import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The `Database` methods that take SQL as their first argument. */
const SQL_METHODS = new Set(['query', 'one', 'execute']);

export interface RepositorySql {
  /** Path from the repository root, with forward slashes. */
  file: string;
  className: string;
  /** Module-level constants the statements interpolate (`${ORDER_COLUMNS}`), with their text. */
  constants: Array<{ name: string; text: string }>;
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
  return repositoryFiles(root).flatMap((file) => collectFromSource(file, readFileSync(path.join(root, file), 'utf8')));
}

/**
 * The SQL each repository class in one source file passes to `this.<db>.query/one/execute`,
 * where `<db>` is a field typed `Database`. Read from the syntax tree only: string and
 * template literals as written, with `${expr}` kept as text.
 */
export function collectFromSource(file: string, text: string): RepositorySql[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const constants = moduleConstants(source);
  const repositories: RepositorySql[] = [];
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) {
      continue;
    }
    const databaseFields = fieldsTypedDatabase(statement);
    const statements: RepositorySql['statements'] = [];
    for (const member of statement.members) {
      const method = memberName(member, source);
      const visit = (node: ts.Node): void => {
        const sqlArgument = databaseCallSql(node, databaseFields);
        if (sqlArgument) {
          statements.push({ method, sql: normalize(renderSql(sqlArgument, source)) });
        }
        ts.forEachChild(node, visit);
      };
      ts.forEachChild(member, visit);
    }
    if (statements.length > 0) {
      const used = constantsUsed(
        statements.map((entry) => entry.sql),
        constants,
      );
      repositories.push({ file, className: statement.name.text, constants: used, statements });
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

/** String and template literals as their text; `a + b` joined; anything else as `${expr}`. */
function renderSql(node: ts.Expression, source: ts.SourceFile): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return node.text;
  }
  if (ts.isTemplateExpression(node)) {
    return node.templateSpans.reduce(
      (text, span) => `${text}\${${span.expression.getText(source)}}${span.literal.text}`,
      node.head.text,
    );
  }
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) {
    return renderSql(node.expression, source);
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return renderSql(node.left, source) + renderSql(node.right, source);
  }
  return `\${${node.getText(source)}}`;
}

/** Top-level `const NAME = <string, template or number>` of a file: SQL fragments a statement may interpolate. */
function moduleConstants(source: ts.SourceFile): Map<string, string> {
  const constants = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) {
      continue;
    }
    for (const declaration of statement.declarationList.declarations) {
      const initializer = declaration.initializer && unwrap(declaration.initializer);
      if (!ts.isIdentifier(declaration.name) || !initializer) {
        continue;
      }
      if (ts.isNumericLiteral(initializer)) {
        constants.set(declaration.name.text, initializer.getText(source));
      } else if (
        ts.isStringLiteral(initializer) ||
        ts.isNoSubstitutionTemplateLiteral(initializer) ||
        ts.isTemplateExpression(initializer) ||
        ts.isBinaryExpression(initializer)
      ) {
        constants.set(declaration.name.text, normalize(renderSql(initializer, source)));
      }
    }
  }
  return constants;
}

function unwrap(node: ts.Expression): ts.Expression {
  return ts.isAsExpression(node) || ts.isParenthesizedExpression(node) || ts.isSatisfiesExpression(node)
    ? unwrap(node.expression)
    : node;
}

/** The constants named inside `${...}` of these texts, and the constants those name in turn, by name. */
function constantsUsed(texts: string[], constants: Map<string, string>): RepositorySql['constants'] {
  const used = new Map<string, string>();
  const pending = [...texts];
  while (pending.length > 0) {
    const text = pending.pop()!;
    for (const [, expression] of text.matchAll(/\$\{([^}]*)\}/g)) {
      for (const [name] of expression.matchAll(/[a-z_$][\w$]*/gi)) {
        const value = constants.get(name);
        if (value !== undefined && !used.has(name)) {
          used.set(name, value);
          pending.push(value);
        }
      }
    }
  }
  return [...used].sort(([a], [b]) => a.localeCompare(b)).map(([name, text]) => ({ name, text }));
}

/**
 * Layout that says nothing about the query is dropped: trailing spaces, blank edges, and
 * the indentation the source file gives it (a subquery's relative indentation stays).
 * Text that starts on the backtick's line keeps that line as is and indents the
 * following lines two spaces.
 */
export function normalize(sql: string): string {
  const lines = sql.split('\n').map((line) => line.trimEnd());
  const startsOnItsOwnLine = lines[0].trim() === '';
  const block = startsOnItsOwnLine ? lines : lines.slice(1);
  const indents = block.filter((line) => line !== '').map((line) => line.length - line.trimStart().length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  const prefix = startsOnItsOwnLine ? '' : '  ';
  const dedented = block.map((line) => (line === '' ? '' : prefix + line.slice(common)));
  const result = startsOnItsOwnLine ? dedented : [lines[0].trim(), ...dedented];
  while (result[0] === '') {
    result.shift();
  }
  while (result.at(-1) === '') {
    result.pop();
  }
  return result.join('\n');
}
