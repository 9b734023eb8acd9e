interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: { type?: string; format?: string } }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<
    string,
    { description?: string; content?: Record<string, { schema?: Schema; examples?: Record<string, unknown> }> }
  >;
}

interface Schema {
  $ref?: string;
  type?: string;
  items?: Schema;
  oneOf?: Schema[];
}

export interface OpenApiDocument {
  info: { title: string; version: string };
  tags?: Array<{ name: string; description?: string }>;
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

/** The tag's description as a paragraph, if it has one. */
function descriptionOf(document: OpenApiDocument, tag: string): string[] {
  const description = document.tags?.find((candidate) => candidate.name === tag)?.description;
  return description ? [description, ''] : [];
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
          // An error answer by the codes its examples show (ORDER_NOT_FOUND), not its schema;
          // a range (4XX, 5XX) has a single illustrative example, not a list of codes.
          const codes = Object.keys(content?.examples ?? {});
          if (/^[45]XX$/.test(status)) {
            return status;
          }
          if (codes.length > 0) {
            return `${status} ${codes.map((code) => `\`${code}\``).join(' / ')}`;
          }
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
        ...descriptionOf(document, tag),
        '| operation | auth | summary | parameters | body | responses |',
        '| --- | --- | --- | --- | --- | --- |',
        ...rows,
      ].join('\n'),
    );
  return [
    `# ${document.info.title} — operations (v${document.info.version})`,
    '',
    'Generated from the OpenAPI document the API serves at `/docs-json` by `npm run docs:api`;',
    'a test fails when this page and the document disagree. The conventions behind it are in',
    '[architecture.md](architecture.md); the error codes in [errors.md](errors.md). Every error answer is an RFC 9457',
    '`application/problem+json` body; an error status is listed with the codes it answers with.',
    '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
}
