import { AdminRoute, CachedResponse, ProblemDetailsDto, Public, queryCacheKey } from '@app/platform';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQueryDto } from './dto/list-products.query.dto';
import { ProductIdParams } from './dto/product-id.params';
import { ProductPageResponse, ProductResponse } from './dto/product.response';
import { UpdateProductDto } from './dto/update-product.dto';
import { PRODUCT_CACHE, PRODUCT_PAGE_CACHE, productCacheKey, ProductsService } from './products.service';

@ApiTags('catalog')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'List products (cached; keyset pagination; `fields` narrows the SQL)' })
  @ApiOkResponse({ type: ProductPageResponse, description: 'Headers: ETag, Cache-Control, X-Cache' })
  @ApiResponse({ status: 304, description: 'Not modified' })
  @CachedResponse({ ...PRODUCT_PAGE_CACHE, key: (request) => queryCacheKey('products:list', request) })
  list(@Query() query: ListProductsQueryDto): Promise<ProductPageResponse> {
    return this.products.list(query);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'One product (cached, ETag, 304)' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiResponse({ status: 304, description: 'Not modified' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'PRODUCT_NOT_FOUND' })
  @CachedResponse({ ...PRODUCT_CACHE, key: (request) => productCacheKey(request.params.id) })
  get(@Param() params: ProductIdParams): Promise<ProductResponse> {
    return this.products.find(params.id);
  }

  @Post()
  @AdminRoute()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a product (admin)' })
  @ApiCreatedResponse({ type: ProductResponse })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'PRODUCT_SKU_TAKEN' })
  create(@Body() body: CreateProductDto): Promise<ProductResponse> {
    return this.products.create(body);
  }

  @Patch(':id')
  @AdminRoute()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Update a product (admin); caches are invalidated before the response' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'PRODUCT_NOT_FOUND' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'PRODUCT_SKU_TAKEN' })
  update(@Param() params: ProductIdParams, @Body() body: UpdateProductDto): Promise<ProductResponse> {
    return this.products.update(params.id, body);
  }

  @Delete(':id')
  @AdminRoute()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Deactivate a product (admin)' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'PRODUCT_NOT_FOUND' })
  remove(@Param() params: ProductIdParams): Promise<ProductResponse> {
    return this.products.deactivate(params.id);
  }
}
