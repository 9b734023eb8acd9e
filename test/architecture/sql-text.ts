import ts from 'typescript';

/** String and template literals as their text; `a + b` joined; anything else as `${expr}`. */
export function renderSql(node: ts.Expression, source: ts.SourceFile): string {
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
