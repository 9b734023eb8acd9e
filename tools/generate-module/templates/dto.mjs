// Request DTOs (class-validator limits; ids through the platform's @IsId()) and the
// response classes Swagger documents (libs/catalog/src/dto).

export const dtoFiles = (n) => ({
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

  [`libs/${n.kebab}/src/dto/${n.singularKebab}-id.params.ts`]: `import { IsId } from '@app/platform';

export class ${n.Singular}IdParams {
  @IsId()
  id: string;
}
`,

  [`libs/${n.kebab}/src/dto/${n.singularKebab}.response.ts`]: `import { ApiProperty } from '@nestjs/swagger';

export class ${n.Singular}Response {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ${n.Singular}PageResponse {
  @ApiProperty({ type: [${n.Singular}Response] })
  items: ${n.Singular}Response[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
`,
});
