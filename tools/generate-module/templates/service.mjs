// The service: the rules, and the transaction of each write with its outbox event
// (libs/orders/src/orders.service.ts).

export const serviceFiles = (n) => ({
  [`libs/${n.kebab}/src/${n.kebab}.service.ts`]: `import { decodeCursor, OutboxRepository, Page, toPage, Transactional, UUID_PATTERN } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { ${n.Singular}Changed } from './${n.singularKebab}.events';
import { ${n.Singular}View } from './${n.singularKebab}.read-model';
import { ${n.Singular}Error, ${n.Singular}ErrorCode } from './${n.kebab}.errors';
import { ${n.Singular}Changes, ${n.Plural}Repository } from './${n.kebab}.repository';

export interface New${n.Singular} {
  name: string;
  description?: string;
}

/**
 * The ${n.words} rules, HTTP-agnostic (a consumer or cron job can call them too); errors are
 * \`${n.Singular}Error\`s, which the platform maps to problem+json. Each write and its
 * \`${n.event}\` outbox event commit in one transaction, or neither does.
 */
@Injectable()
export class ${n.Plural}Service {
  constructor(
    private readonly ${n.camel}: ${n.Plural}Repository,
    private readonly outbox: OutboxRepository,
  ) {}

  @Transactional()
  async create(input: New${n.Singular}): Promise<${n.Singular}View> {
    const created = await this.${n.camel}.insert({ id: uuidv7(), name: input.name, description: input.description ?? null });
    await this.outbox.enqueue(${n.Singular}Changed, { id: created.id, change: 'created' });
    return created;
  }

  async get(id: string): Promise<${n.Singular}View> {
    return found(await this.${n.camel}.findById(id));
  }

  async list(limit: number, cursor?: string): Promise<Page<${n.Singular}View>> {
    const after = decodeCursor(cursor, UUID_PATTERN);
    const rows = await this.${n.camel}.list(limit, after?.id);
    return toPage(rows, limit, (row) => ({ key: row.id, id: row.id }), (row) => row);
  }

  @Transactional()
  async update(id: string, changes: ${n.Singular}Changes): Promise<${n.Singular}View> {
    const updated = found(await this.${n.camel}.update(id, changes));
    await this.outbox.enqueue(${n.Singular}Changed, { id, change: 'updated' });
    return updated;
  }

  @Transactional()
  async remove(id: string): Promise<void> {
    if (!(await this.${n.camel}.delete(id))) {
      throw notFound();
    }
    await this.outbox.enqueue(${n.Singular}Changed, { id, change: 'deleted' });
  }
}

function found(view: ${n.Singular}View | null): ${n.Singular}View {
  if (!view) {
    throw notFound();
  }
  return view;
}

function notFound(): ${n.Singular}Error {
  return new ${n.Singular}Error(${n.Singular}ErrorCode.NotFound, 'No such ${n.singularWords}.');
}
`,
});
