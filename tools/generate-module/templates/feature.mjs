// The feature's small files: public index, Nest module, entity, read model, error
// table and event contract (shaped like libs/catalog's, with orders' event file).

/** What other features may use: the module, the service, its read model, errors and events. Never the repository. */
export const featureFiles = (n) => ({
  [`libs/${n.kebab}/src/index.ts`]: `export * from './${n.kebab}.module';
export * from './${n.kebab}.service';
export * from './${n.singularKebab}.read-model';
export * from './${n.kebab}.errors';
export * from './${n.singularKebab}.events';
`,

  [`libs/${n.kebab}/src/${n.kebab}.module.ts`]: `import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ${n.Singular}Entity } from './${n.singularKebab}.entity';
import { ${n.Plural}Controller } from './${n.kebab}.controller';
import { ${n.Plural}Repository } from './${n.kebab}.repository';
import { ${n.Plural}Service } from './${n.kebab}.service';

/** The entity is registered for the schema (migrations check); the repository reaches PostgreSQL through Database. */
@Module({
  imports: [TypeOrmModule.forFeature([${n.Singular}Entity])],
  controllers: [${n.Plural}Controller],
  providers: [${n.Plural}Repository, ${n.Plural}Service],
  exports: [${n.Plural}Service],
})
export class ${n.Plural}Module {}
`,

  [`libs/${n.kebab}/src/${n.singularKebab}.entity.ts`]: `import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The table as TypeORM sees it: documents the schema, and lets the migrations check compare it with the migrations. */
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

  [`libs/${n.kebab}/src/${n.singularKebab}.read-model.ts`]: `/** A ${n.singularWords} as the API shows it (JSON-safe). */
export interface ${n.Singular}View {
  id: string;
  name: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}
`,

  [`libs/${n.kebab}/src/${n.kebab}.errors.ts`]: `import { defineErrors, ErrorCodeOf, ErrorKind } from '@app/platform';

export class ${n.Singular}Error extends defineErrors('${n.Singular}Error', {
  NotFound: ['${n.CODE}_NOT_FOUND', ErrorKind.NotFound],
}) {}

export const ${n.Singular}ErrorCode = ${n.Singular}Error.codes;
export type ${n.Singular}ErrorCode = ErrorCodeOf<typeof ${n.Singular}ErrorCode>;
`,

  [`libs/${n.kebab}/src/${n.singularKebab}.events.ts`]: `import { defineEvent } from '@app/platform';
import { z } from 'zod';

/**
 * Announced through the outbox in the transaction of every write, so a consumer (another
 * feature's jobs module) learns of each change once it commits, never of one that rolled back.
 */
export const ${n.Singular}Changed = defineEvent(
  '${n.event}',
  z.object({ id: z.uuid(), change: z.enum(['created', 'updated', 'deleted']) }),
);

export type ${n.Singular}Change = z.infer<typeof ${n.Singular}Changed.schema>['change'];
`,
});
