// The files of a generated feature lib, as the existing libs are written (see
// libs/catalog and ../../docs/adding-a-module.md). `n` holds the name's forms:
// kebab (plural, the lib and route), Plural/Singular (classes), camel, table, CODE.

export const files = (n) => ({
  [`libs/${n.kebab}/src/index.ts`]: `export * from './${n.kebab}.module';
export * from './${n.kebab}.service';
export * from './${n.kebab}.errors';
`,

  [`libs/${n.kebab}/src/${n.kebab}.module.ts`]: `import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ${n.Singular}Entity } from './${n.singularKebab}.entity';
import { ${n.Plural}Controller } from './${n.kebab}.controller';
import { ${n.Plural}Repository } from './${n.kebab}.repository';
import { ${n.Plural}Service } from './${n.kebab}.service';

@Module({
  imports: [TypeOrmModule.forFeature([${n.Singular}Entity])],
  controllers: [${n.Plural}Controller],
  providers: [${n.Plural}Repository, ${n.Plural}Service],
  exports: [${n.Plural}Service],
})
export class ${n.Plural}Module {}
`,

  [`libs/${n.kebab}/src/${n.singularKebab}.entity.ts`]: `import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('${n.table}')
export class ${n.Singular}Entity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
`,

  [`libs/${n.kebab}/src/${n.kebab}.errors.ts`]: `import { defineErrors, ErrorCodeOf, ErrorKind } from '@app/platform';

export class ${n.Singular}Error extends defineErrors('${n.Singular}Error', {
  NotFound: ['${n.CODE}_NOT_FOUND', ErrorKind.NotFound],
}) {}

export const ${n.Singular}ErrorCode = ${n.Singular}Error.codes;
export type ${n.Singular}ErrorCode = ErrorCodeOf<typeof ${n.Singular}ErrorCode>;
`,

  [`libs/${n.kebab}/src/${n.kebab}.repository.ts`]: `import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ${n.Singular}View {
  id: string;
  name: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

interface ${n.Singular}Row {
  id: string;
  name: string;
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, description, created_at, updated_at';

/** The only code that speaks SQL for ${n.kebab}. */
@Injectable()
export class ${n.Plural}Repository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(row: { id: string; name: string; description: string | null }): Promise<${n.Singular}View> {
    const rows = await this.dataSource.query<${n.Singular}Row[]>(
      \`INSERT INTO ${n.table} (id, name, description) VALUES ($1, $2, $3) RETURNING \${COLUMNS}\`,
      [row.id, row.name, row.description],
    );
    return toView(rows[0]);
  }

  async find(id: string): Promise<${n.Singular}View | null> {
    const rows = await this.dataSource.query<${n.Singular}Row[]>(\`SELECT \${COLUMNS} FROM ${n.table} WHERE id = $1\`, [id]);
    return rows[0] ? toView(rows[0]) : null;
  }

  /** Keyset page by id (UUID v7, so creation order); fetches limit + 1. */
  async list(limit: number, afterId?: string): Promise<${n.Singular}View[]> {
    const rows = await this.dataSource.query<${n.Singular}Row[]>(
      \`SELECT \${COLUMNS} FROM ${n.table} WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2\`,
      [afterId ?? null, limit + 1],
    );
    return rows.map(toView);
  }

  async update(id: string, changes: { name?: string; description?: string | null }): Promise<${n.Singular}View | null> {
    // For UPDATE and DELETE, TypeORM's query() answers [rows, affected count].
    const [rows] = await this.dataSource.query<[${n.Singular}Row[], number]>(
      \`UPDATE ${n.table}
          SET name = COALESCE($2::text, name),
              description = CASE WHEN $3::boolean THEN $4::text ELSE description END,
              updated_at = now()
        WHERE id = $1
        RETURNING \${COLUMNS}\`,
      [id, changes.name ?? null, changes.description !== undefined, changes.description ?? null],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  async remove(id: string): Promise<boolean> {
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(\`DELETE FROM ${n.table} WHERE id = $1\`, [id]);
    return deleted > 0;
  }
}

function toView(row: ${n.Singular}Row): ${n.Singular}View {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
`,

  [`libs/${n.kebab}/src/${n.kebab}.service.ts`]: `import { decodeCursor, Page, toPage, UUID_PATTERN } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { ${n.Singular}Error, ${n.Singular}ErrorCode } from './${n.kebab}.errors';
import { ${n.Singular}View, ${n.Plural}Repository } from './${n.kebab}.repository';

/** The ${n.kebab} rules: HTTP-agnostic, so a worker job can call them too. */
@Injectable()
export class ${n.Plural}Service {
  constructor(private readonly ${n.camel}: ${n.Plural}Repository) {}

  create(input: { name: string; description?: string }): Promise<${n.Singular}View> {
    return this.${n.camel}.create({ id: uuidv7(), name: input.name, description: input.description ?? null });
  }

  async get(id: string): Promise<${n.Singular}View> {
    return this.found(await this.${n.camel}.find(id));
  }

  async list(limit: number, cursor?: string): Promise<Page<${n.Singular}View>> {
    const after = decodeCursor(cursor, UUID_PATTERN);
    const rows = await this.${n.camel}.list(limit, after?.id);
    return toPage(rows, limit, (row) => ({ key: row.id, id: row.id }), (row) => row);
  }

  async update(id: string, changes: { name?: string; description?: string | null }): Promise<${n.Singular}View> {
    return this.found(await this.${n.camel}.update(id, changes));
  }

  async remove(id: string): Promise<void> {
    if (!(await this.${n.camel}.remove(id))) {
      throw notFound();
    }
  }

  private found(view: ${n.Singular}View | null): ${n.Singular}View {
    if (!view) {
      throw notFound();
    }
    return view;
  }
}

function notFound(): ${n.Singular}Error {
  return new ${n.Singular}Error(${n.Singular}ErrorCode.NotFound, 'No such ${n.singularWords}.');
}
`,

  [`libs/${n.kebab}/src/dto/create-${n.singularKebab}.dto.ts`]: `import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class Create${n.Singular}Dto {
  @IsString()
  @Length(1, 200)
  name: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}
`,

  [`libs/${n.kebab}/src/dto/update-${n.singularKebab}.dto.ts`]: `import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class Update${n.Singular}Dto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}
`,

  [`libs/${n.kebab}/src/dto/${n.singularKebab}-id.params.ts`]: `import { IsUUID } from 'class-validator';

export class ${n.Singular}IdParams {
  @IsUUID()
  id: string;
}
`,

  [`libs/${n.kebab}/src/dto/${n.singularKebab}.response.ts`]: `import { ApiProperty } from '@nestjs/swagger';

export class ${n.Singular}Response {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ${n.Singular}PageResponse {
  @ApiProperty({ type: [${n.Singular}Response] }) items: ${n.Singular}Response[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
`,

  [`libs/${n.kebab}/src/${n.kebab}.controller.ts`]: `import { PaginationQueryDto, ProblemDetailsDto, Roles } from '@app/platform';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Create${n.Singular}Dto } from './dto/create-${n.singularKebab}.dto';
import { ${n.Singular}IdParams } from './dto/${n.singularKebab}-id.params';
import { ${n.Singular}PageResponse, ${n.Singular}Response } from './dto/${n.singularKebab}.response';
import { Update${n.Singular}Dto } from './dto/update-${n.singularKebab}.dto';
import { ${n.Plural}Service } from './${n.kebab}.service';

/** Reads for any signed-in caller; writes for admins. */
@ApiTags('${n.kebab}')
@ApiBearerAuth('bearer')
@Controller('${n.kebab}')
export class ${n.Plural}Controller {
  constructor(private readonly ${n.camel}: ${n.Plural}Service) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'List ${n.words}, oldest first' })
  @ApiOkResponse({ type: ${n.Singular}PageResponse })
  list(@Query() query: PaginationQueryDto): Promise<${n.Singular}PageResponse> {
    return this.${n.camel}.list(query.limit, query.cursor);
  }

  @Get(':id')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'One ${n.singularWords}' })
  @ApiOkResponse({ type: ${n.Singular}Response })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  get(@Param() params: ${n.Singular}IdParams): Promise<${n.Singular}Response> {
    return this.${n.camel}.get(params.id);
  }

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a ${n.singularWords} (admin)' })
  @ApiCreatedResponse({ type: ${n.Singular}Response })
  @ApiForbiddenResponse({ type: ProblemDetailsDto })
  create(@Body() body: Create${n.Singular}Dto): Promise<${n.Singular}Response> {
    return this.${n.camel}.create(body);
  }

  @Patch(':id')
  @Roles('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Change a ${n.singularWords} (admin)' })
  @ApiOkResponse({ type: ${n.Singular}Response })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiForbiddenResponse({ type: ProblemDetailsDto })
  update(@Param() params: ${n.Singular}IdParams, @Body() body: Update${n.Singular}Dto): Promise<${n.Singular}Response> {
    return this.${n.camel}.update(params.id, body);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a ${n.singularWords} (admin)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiForbiddenResponse({ type: ProblemDetailsDto })
  remove(@Param() params: ${n.Singular}IdParams): Promise<void> {
    return this.${n.camel}.remove(params.id);
  }
}
`,

  [`libs/${n.kebab}/src/${n.kebab}.service.spec.ts`]: `import { randomUUID } from 'node:crypto';
import { ${n.Singular}Error } from './${n.kebab}.errors';
import { ${n.Singular}View, ${n.Plural}Repository } from './${n.kebab}.repository';
import { ${n.Plural}Service } from './${n.kebab}.service';

/** The service's rules with its repository substituted by an in-memory one. */
class InMemory${n.Plural}Repository {
  readonly rows = new Map<string, ${n.Singular}View>();

  create(row: { id: string; name: string; description: string | null }): Promise<${n.Singular}View> {
    const now = new Date().toISOString();
    const view = { ...row, createdAt: now, updatedAt: now };
    this.rows.set(row.id, view);
    return Promise.resolve(view);
  }

  find(id: string): Promise<${n.Singular}View | null> {
    return Promise.resolve(this.rows.get(id) ?? null);
  }

  list(limit: number, afterId?: string): Promise<${n.Singular}View[]> {
    const sorted = [...this.rows.values()].sort((a, b) => a.id.localeCompare(b.id)).filter((row) => !afterId || row.id > afterId);
    return Promise.resolve(sorted.slice(0, limit + 1));
  }

  update(id: string, changes: { name?: string; description?: string | null }): Promise<${n.Singular}View | null> {
    const row = this.rows.get(id);
    if (!row) {
      return Promise.resolve(null);
    }
    const updated = { ...row, ...changes, description: changes.description === undefined ? row.description : changes.description };
    this.rows.set(id, updated);
    return Promise.resolve(updated);
  }

  remove(id: string): Promise<boolean> {
    return Promise.resolve(this.rows.delete(id));
  }
}

describe('${n.Plural}Service', () => {
  let repository: InMemory${n.Plural}Repository;
  let service: ${n.Plural}Service;

  beforeEach(() => {
    repository = new InMemory${n.Plural}Repository();
    service = new ${n.Plural}Service(repository as unknown as ${n.Plural}Repository);
  });

  it('creates with a time-ordered id and reads it back', async () => {
    const created = await service.create({ name: 'First' });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await service.get(created.id)).toEqual(created);
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

  it('reports a missing one as ${n.CODE}_NOT_FOUND on get, update and remove', async () => {
    const id = randomUUID();
    await expect(service.get(id)).rejects.toBeInstanceOf(${n.Singular}Error);
    await expect(service.update(id, { name: 'x' })).rejects.toMatchObject({ code: '${n.CODE}_NOT_FOUND' });
    await expect(service.remove(id)).rejects.toMatchObject({ code: '${n.CODE}_NOT_FOUND' });
  });
});
`,

  [`test/e2e/${n.kebab}/${n.kebab}.e2e-spec.ts`]: `import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { adminEnv, bearer, login, register, Session } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';

describe('${n.kebab} (e2e)', () => {
  let app: NestFastifyApplication;
  let admin: Session;
  let customer: Session;

  beforeAll(async () => {
    const env = adminEnv();
    app = await createTestApp(env);
    admin = await login(app, env.ADMIN_EMAIL);
    customer = await register(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('creates, reads, lists, changes and deletes as an admin', async () => {
    const created = await app.inject({ method: 'POST', url: '/v1/${n.kebab}', headers: bearer(admin.accessToken), payload: { name: 'First', description: 'A test one' } });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();

    const read = await app.inject({ method: 'GET', url: \`/v1/${n.kebab}/\${id}\`, headers: bearer(customer.accessToken) });
    expect(read.json()).toMatchObject({ id, name: 'First', description: 'A test one' });
    const list = await app.inject({ method: 'GET', url: '/v1/${n.kebab}?limit=100', headers: bearer(customer.accessToken) });
    expect(list.json<{ items: Array<{ id: string }> }>().items.map((item) => item.id)).toContain(id);

    const changed = await app.inject({ method: 'PATCH', url: \`/v1/${n.kebab}/\${id}\`, headers: bearer(admin.accessToken), payload: { name: 'Renamed' } });
    expect(changed.json()).toMatchObject({ id, name: 'Renamed', description: 'A test one' });

    expect((await app.inject({ method: 'DELETE', url: \`/v1/${n.kebab}/\${id}\`, headers: bearer(admin.accessToken) })).statusCode).toBe(204);
    const gone = await app.inject({ method: 'GET', url: \`/v1/${n.kebab}/\${id}\`, headers: bearer(admin.accessToken) });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: '${n.CODE}_NOT_FOUND' });
  });

  it('refuses bad input (400), customers writing (403) and callers without a token (401)', async () => {
    const bad = await app.inject({ method: 'POST', url: '/v1/${n.kebab}', headers: bearer(admin.accessToken), payload: { name: '', extra: true } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await app.inject({ method: 'POST', url: '/v1/${n.kebab}', headers: bearer(customer.accessToken), payload: { name: 'Nope' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/v1/${n.kebab}' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: \`/v1/${n.kebab}/\${randomUUID()}\`, headers: bearer(admin.accessToken) })).statusCode).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs-json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(document.paths['/v1/${n.kebab}'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(document.paths['/v1/${n.kebab}/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
  });
});
`,
});

export const migration = (n, timestamp) => ({
  path: `libs/platform/src/database/migrations/${timestamp}-create-${n.kebab}.ts`,
  className: `Create${n.Plural}${timestamp}`,
  text: `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Create${n.Plural}${timestamp} implements MigrationInterface {
  name = 'Create${n.Plural}${timestamp}';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`
      CREATE TABLE ${n.table} (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        description text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )\`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ${n.table}');
  }
}
`,
});
