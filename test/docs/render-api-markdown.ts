interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: { type?: string; format?: string } }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}

interface Schema {
  $ref?: string;
  type?: string;
  items?: Schema;
  oneOf?: Schema[];
}

export interface OpenApiDocument {
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function schemaName(schema: Schema | undefined): string {
  if (!schema) {
    return '';
  }
  if (schema.$ref) {
    return `\`${schema.$ref.split('/').pop()}\``;
  }
  if (schema.type === 'array') {
    return `${schemaName(schema.items)}[]`;
  }
  if (schema.oneOf) {
    // Login's 200: a session, or a two-factor challenge.
    return schema.oneOf.map(schemaName).join(' or ');
  }
  return schema.type ? `\`${schema.type}\`` : '';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * docs/api.md from the OpenAPI document: every operation with its auth, parameters,
 * body and responses, grouped by tag. Written by `npm run docs:api`; a test fails when
 * the committed page no longer matches the document the API serves.
 */
export function renderApiMarkdown(document: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) {
        continue;
      }
      const tag = operation.tags?.[0] ?? 'other';
      const auth = operation.security && operation.security.length > 0 ? 'bearer' : 'public';
      const parameters = (operation.parameters ?? [])
        .map((p) => `\`${p.name}\` (${p.in}${p.required ? ', required' : ''})`)
        .join(', ');
      const body = Object.entries(operation.requestBody?.content ?? {})
        .map(([type, media]) => `${schemaName(media.schema)} (${type})`)
        .join(', ');
      const responses = Object.entries(operation.responses ?? {})
        .map(([status, response]) => {
          const content = Object.values(response.content ?? {})[0];
          return `${status}${content?.schema ? ` ${schemaName(content.schema)}` : ''}`;
        })
        .join(', ');
      const row = `| \`${method.toUpperCase()} ${path}\` | ${auth} | ${cell(operation.summary ?? '')} | ${parameters || '–'} | ${body || '–'} | ${responses} |`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), row]);
    }
  }
  const sections = [...byTag.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tag, rows]) =>
      [
        `## ${tag}`,
        '',
        '| operation | auth | summary | parameters | body | responses |',
        '| --- | --- | --- | --- | --- | --- |',
        ...rows,
      ].join('\n'),
    );
  return [
    `# ${document.info.title} — operations (v${document.info.version})`,
    '',
    'Generated from the OpenAPI document the API serves at `/docs-json` by `npm run docs:api`;',
    'a test fails when this page and the document disagree. The contract and its conventions',
    'are in API.md; the error codes in docs/errors.md. Every error answer is an RFC 9457',
    '`application/problem+json` body.',
    '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
}
