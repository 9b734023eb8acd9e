// The service's unit spec (jest project `unit`): the repository substituted by an
// in-memory one and the outbox by a mock, built with test/support/service-under-test.ts
// so @Transactional() runs as in the app without a database.

export const serviceSpecFiles = (n) => ({
  [`libs/${n.kebab}/src/${n.kebab}.service.spec.ts`]: `import { OutboxRepository } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { serviceUnderTest } from '../../../test/support/service-under-test';
import { ${n.Singular}Changed } from './${n.singularKebab}.events';
import { ${n.Singular}View } from './${n.singularKebab}.read-model';
import { ${n.Singular}Error } from './${n.kebab}.errors';
import { ${n.Singular}Changes, New${n.Singular}Row, ${n.Plural}Repository } from './${n.kebab}.repository';
import { ${n.Plural}Service } from './${n.kebab}.service';

/** The repository's contract, kept in memory. */
class InMemory${n.Plural}Repository {
  readonly rows = new Map<string, ${n.Singular}View>();

  insert(row: New${n.Singular}Row): Promise<${n.Singular}View> {
    const now = new Date().toISOString();
    const view = { ...row, createdAt: now, updatedAt: now };
    this.rows.set(row.id, view);
    return Promise.resolve(view);
  }

  findById(id: string): Promise<${n.Singular}View | null> {
    return Promise.resolve(this.rows.get(id) ?? null);
  }

  list(limit: number, afterId?: string): Promise<${n.Singular}View[]> {
    const sorted = [...this.rows.values()].sort((a, b) => a.id.localeCompare(b.id)).filter((row) => !afterId || row.id > afterId);
    return Promise.resolve(sorted.slice(0, limit + 1));
  }

  update(id: string, changes: ${n.Singular}Changes): Promise<${n.Singular}View | null> {
    const row = this.rows.get(id);
    if (!row) {
      return Promise.resolve(null);
    }
    const updated = { ...row, name: changes.name ?? row.name, description: changes.description === undefined ? row.description : changes.description };
    this.rows.set(id, updated);
    return Promise.resolve(updated);
  }

  delete(id: string): Promise<boolean> {
    return Promise.resolve(this.rows.delete(id));
  }
}

describe('${n.Plural}Service (repository in memory)', () => {
  const outbox = { enqueue: jest.fn() };
  let repository: InMemory${n.Plural}Repository;
  let service: ${n.Plural}Service;

  beforeEach(async () => {
    outbox.enqueue.mockReset();
    repository = new InMemory${n.Plural}Repository();
    service = await serviceUnderTest(${n.Plural}Service, [
      { provide: ${n.Plural}Repository, useValue: repository },
      { provide: OutboxRepository, useValue: outbox },
    ]);
  });

  it('creates with a time-ordered id, reads it back and announces it', async () => {
    const created = await service.create({ name: 'First' });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await service.get(created.id)).toEqual(created);
    expect(outbox.enqueue).toHaveBeenCalledWith(${n.Singular}Changed, { id: created.id, change: 'created' });
  });

  it('pages through the list with an opaque cursor', async () => {
    for (const name of ['a', 'b', 'c']) {
      await service.create({ name });
    }
    const first = await service.list(2);
    expect(first.items).toHaveLength(2);
    const second = await service.list(2, first.nextCursor!);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
  });

  it('changes only the given fields, and announces the change and the deletion', async () => {
    const { id } = await service.create({ name: 'First', description: 'kept' });
    await expect(service.update(id, { name: 'Renamed' })).resolves.toMatchObject({ name: 'Renamed', description: 'kept' });
    await service.remove(id);
    expect(outbox.enqueue.mock.calls.map(([, payload]) => payload)).toEqual([
      { id, change: 'created' },
      { id, change: 'updated' },
      { id, change: 'deleted' },
    ]);
  });

  it('reports a missing one as ${n.CODE}_NOT_FOUND on get, update and remove, announcing nothing', async () => {
    const id = randomUUID();
    await expect(service.get(id)).rejects.toBeInstanceOf(${n.Singular}Error);
    await expect(service.update(id, { name: 'x' })).rejects.toMatchObject({ code: '${n.CODE}_NOT_FOUND' });
    await expect(service.remove(id)).rejects.toMatchObject({ code: '${n.CODE}_NOT_FOUND' });
    expect(outbox.enqueue).not.toHaveBeenCalled();
  });
});
`,
});
