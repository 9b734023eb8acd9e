import { ProblemDetailsDto, Public, Roles, sendCacheable } from '@app/platform';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQueryDto } from './dto/list-products.query.dto';
import { ProductIdParams } from './dto/product-id.params';
import { ProductPageResponse, ProductResponse } from './dto/product.response';
import { UpdateProductDto } from './dto/update-product.dto';
import { ProductsService } from './products.service';

@ApiTags('catalog')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'List products (cached; keyset pagination; `fields` narrows the SQL)' })
  @ApiOkResponse({ type: ProductPageResponse, description: 'Headers: ETag, Cache-Control, X-Cache' })
  @ApiResponse({ status: 304, description: 'Not modified' })
  async list(@Query() query: ListProductsQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const result = await this.products.list(query);
    await sendCacheable(request, reply, result.value, result.hit);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'One product (cached, ETag, 304)' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiResponse({ status: 304, description: 'Not modified' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param() params: ProductIdParams, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const result = await this.products.get(params.id);
    await sendCacheable(request, reply, result.value, result.hit);
  }

  @Post()
  @Roles('admin')
  @ApiBearerAuth('bearer')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a product (admin)' })
  @ApiCreatedResponse({ type: ProductResponse })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'PRODUCT_SKU_TAKEN' })
  create(@Body() body: CreateProductDto): Promise<ProductResponse> {
    return this.products.create(body);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiBearerAuth('bearer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Update a product (admin); caches are invalidated before the response' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'PRODUCT_SKU_TAKEN' })
  update(@Param() params: ProductIdParams, @Body() body: UpdateProductDto): Promise<ProductResponse> {
    return this.products.update(params.id, body);
  }

  @Delete(':id')
  @Roles('admin')
  @ApiBearerAuth('bearer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Deactivate a product (admin)' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  remove(@Param() params: ProductIdParams): Promise<ProductResponse> {
    return this.products.deactivate(params.id);
  }
}
