import path from 'node:path';
import ts from 'typescript';
import { normalize, renderSql } from './sql-text';

/** A module-level `const` a statement interpolates, and the file that declares it. */
export interface SqlConstant {
  name: string;
  file: string;
  text: string;
}

interface Declared {
  text: string;
  /** Identifiers its initializer uses: constants it interpolates in turn. */
  refs: string[];
}

interface FileScope {
  constants: Map<string, Declared>;
  /** Local name → the file and name it is imported from (relative imports only). */
  imports: Map<string, { file: string; name: string }>;
}

/**
 * The module-level constants that SQL statements name in `${...}`, followed through the
 * repository file's relative imports (`SUBSCRIPTION_COLUMNS` from `./subscription.rows`)
 * and through the constants they name in turn. `readSource(file)` gives a file's text,
 * or undefined when it does not exist.
 */
export class SqlConstants {
  private readonly scopes = new Map<string, FileScope | undefined>();

  constructor(private readonly readSource: (file: string) => string | undefined) {}

  /** The constants `names` (as seen from `file`) use, directly or through each other; by file, then name. */
  used(file: string, names: Iterable<string>): SqlConstant[] {
    const found = new Map<string, SqlConstant>();
    const pending = [...names].map((name) => ({ file, name }));
    while (pending.length > 0) {
      const { file: from, name } = pending.pop()!;
      const resolved = this.resolve(from, name, new Set());
      const key = resolved && `${resolved.file}#${resolved.name}`;
      if (!resolved || found.has(key!)) {
        continue;
      }
      found.set(key!, { name: resolved.name, file: resolved.file, text: resolved.declared.text });
      pending.push(...resolved.declared.refs.map((ref) => ({ file: resolved.file, name: ref })));
    }
    // Code-point order, the same in every locale.
    const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...found.values()].sort((a, b) => order(a.file, b.file) || order(a.name, b.name));
  }

  private resolve(
    file: string,
    name: string,
    seen: Set<string>,
  ): { file: string; name: string; declared: Declared } | undefined {
    const scope = this.scopeOf(file);
    if (!scope || seen.has(`${file}#${name}`)) {
      return undefined;
    }
    seen.add(`${file}#${name}`);
    const declared = scope.constants.get(name);
    if (declared) {
      return { file, name, declared };
    }
    const imported = scope.imports.get(name);
    return imported && this.resolve(imported.file, imported.name, seen);
  }

  private scopeOf(file: string): FileScope | undefined {
    if (!this.scopes.has(file)) {
      const text = this.readSource(file);
      this.scopes.set(file, text === undefined ? undefined : readScope(file, text, this.readSource));
    }
    return this.scopes.get(file);
  }
}

/** Every identifier used in `node`, but property names after a dot. */
export function identifiersIn(node: ts.Node): string[] {
  const names: string[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child) && !(ts.isPropertyAccessExpression(child.parent) && child.parent.name === child)) {
      names.push(child.text);
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return names;
}

function readScope(file: string, text: string, readSource: (file: string) => string | undefined): FileScope {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const scope: FileScope = { constants: new Map(), imports: new Map() };
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement) && statement.declarationList.flags & ts.NodeFlags.Const) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) {
          const initializer = unwrap(declaration.initializer);
          scope.constants.set(declaration.name.text, {
            text: constantText(initializer, source),
            refs: identifiersIn(initializer),
          });
        }
      }
    } else if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const target = resolveRelative(file, statement.moduleSpecifier.text, readSource);
      const bindings = statement.importClause?.namedBindings;
      if (target && bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          scope.imports.set(element.name.text, { file: target, name: (element.propertyName ?? element.name).text });
        }
      }
    }
  }
  return scope;
}

/** SQL-like initializers as SQL text; a function returning SQL as `(params) => SQL`; anything else as written. */
function constantText(initializer: ts.Expression, source: ts.SourceFile): string {
  if (ts.isNumericLiteral(initializer)) {
    return initializer.text;
  }
  if (
    ts.isStringLiteral(initializer) ||
    ts.isNoSubstitutionTemplateLiteral(initializer) ||
    ts.isTemplateExpression(initializer) ||
    (ts.isBinaryExpression(initializer) && initializer.operatorToken.kind === ts.SyntaxKind.PlusToken)
  ) {
    return normalize(renderSql(initializer, source));
  }
  if (ts.isArrowFunction(initializer) && !ts.isBlock(initializer.body)) {
    const parameters = initializer.parameters.map((parameter) => parameter.getText(source)).join(', ');
    return `(${parameters}) =>\n${normalize(renderSql(initializer.body, source))}`;
  }
  return initializer.getText(source);
}

function unwrap(node: ts.Expression): ts.Expression {
  return ts.isAsExpression(node) || ts.isParenthesizedExpression(node) || ts.isSatisfiesExpression(node)
    ? unwrap(node.expression)
    : node;
}

function resolveRelative(
  from: string,
  specifier: string,
  readSource: (file: string) => string | undefined,
): string | undefined {
  if (!specifier.startsWith('.')) {
    return undefined;
  }
  const base = path.posix.join(path.posix.dirname(from), specifier);
  return [`${base}.ts`, `${base}/index.ts`].find((candidate) => readSource(candidate) !== undefined);
}
