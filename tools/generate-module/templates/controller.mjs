// The controller: the HTTP shape only, one service call per route, plain return values
// (no @Res(), no Fastify types: interceptors and the platform write the reply).

export const controllerFiles = (n) => ({
  [`libs/${n.kebab}/src/${n.kebab}.controller.ts`]: `import { AdminRoute, PaginationQueryDto, ProblemDetailsDto, SignedInRoute } from '@app/platform';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Create${n.Singular}Dto } from './dto/create-${n.singularKebab}.dto';
import { ${n.Singular}IdParams } from './dto/${n.singularKebab}-id.params';
import { ${n.Singular}PageResponse, ${n.Singular}Response } from './dto/${n.singularKebab}.response';
import { Update${n.Singular}Dto } from './dto/update-${n.singularKebab}.dto';
import { ${n.Plural}Service } from './${n.kebab}.service';

/** Reads for any signed-in caller; writes for admins (test/security/access-rules.json says the same). */
@ApiTags('${n.kebab}')
@SignedInRoute()
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
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: '${n.CODE}_NOT_FOUND' })
  get(@Param() params: ${n.Singular}IdParams): Promise<${n.Singular}Response> {
    return this.${n.camel}.get(params.id);
  }

  @Post()
  @AdminRoute()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a ${n.singularWords} (admin)' })
  @ApiCreatedResponse({ type: ${n.Singular}Response })
  create(@Body() body: Create${n.Singular}Dto): Promise<${n.Singular}Response> {
    return this.${n.camel}.create(body);
  }

  @Patch(':id')
  @AdminRoute()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Change a ${n.singularWords} (admin)' })
  @ApiOkResponse({ type: ${n.Singular}Response })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: '${n.CODE}_NOT_FOUND' })
  update(@Param() params: ${n.Singular}IdParams, @Body() body: Update${n.Singular}Dto): Promise<${n.Singular}Response> {
    return this.${n.camel}.update(params.id, body);
  }

  @Delete(':id')
  @AdminRoute()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a ${n.singularWords} (admin)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: '${n.CODE}_NOT_FOUND' })
  remove(@Param() params: ${n.Singular}IdParams): Promise<void> {
    return this.${n.camel}.remove(params.id);
  }
}
`,
});
