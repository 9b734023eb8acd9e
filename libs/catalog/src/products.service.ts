import { CacheAside, CacheLoadOptions, CacheResult, decodeCursor, Page, toPage, UUID_PATTERN } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { CatalogError, CatalogErrorCode } from './catalog.errors';
import { PRODUCT_FIELDS, ProductField, ProductView } from './product.read-model';
import { ProductRow, ProductsRepository } from './products.repository';

const LIST_TAG = 'products:list';
/**
 * Hot products and pages are also kept in each process's memory this long: a hit costs
 * no Redis round trip. Every product write drops them in every process at once
 * (CacheAside's eviction channel) before it answers.
 */
const LOCAL_TTL_MS = 5_000;

/**
 * One cache entry per product whatever the letter case of the id it was asked by
 * (the DTOs lower-case ids already; this keeps every caller of the service right too):
 * a PATCH through one spelling must invalidate what a GET through another cached.
 */
export function productCacheKey(id: string): string {
  return `products:item:${id.toLowerCase()}`;
}

/**
 * How a product is cached under productCacheKey, by `get()` and by the cached response
 * of `GET /v1/products/:id`: one entry, the product as `find()` returns it.
 */
export const PRODUCT_CACHE: CacheLoadOptions = { name: 'products', localTtlMs: LOCAL_TTL_MS };

/** How the pages of `GET /v1/products` are cached: every product write drops them all (one tag). */
export const PRODUCT_PAGE_CACHE: CacheLoadOptions = { tags: [LIST_TAG], name: 'products', localTtlMs: LOCAL_TTL_MS };

export interface ListProductsInput {
  q?: string;
  active?: boolean;
  limit: number;
  cursor?: string;
  fields?: string[];
}

export interface NewProduct {
  sku: string;
  name: string;
  description?: string;
  priceCents: number;
  currency: string;
}

@Injectable()
export class ProductsService {
  constructor(
    private readonly products: ProductsRepository,
    private readonly cache: CacheAside,
  ) {}

  /** A page, uncached: its route caches the response (PRODUCT_PAGE_CACHE). */
  async list(input: ListProductsInput): Promise<Page<ProductRow>> {
    const fields = this.resolveFields(input.fields);
    const after = decodeCursor(input.cursor, UUID_PATTERN);
    const query = {
      q: input.q?.trim() || undefined,
      active: input.active ?? true,
      limit: input.limit,
      afterId: after?.id,
      fields,
    };
    const rows = await this.products.list(query);
    const keepId = fields.includes('id');
    return toPage(
      rows,
      query.limit,
      (row) => ({ key: row.id, id: row.id }),
      (row) => (keepId ? row : withoutId(row)),
    );
  }

  /** The product from the database; its route caches the response (PRODUCT_CACHE). */
  async find(id: string): Promise<ProductView> {
    const product = await this.products.findById(id);
    if (!product) {
      throw new CatalogError(CatalogErrorCode.ProductNotFound, 'No such product.');
    }
    return product;
  }

  /** The product, cached: the entry `GET /v1/products/:id` serves too (PRODUCT_CACHE). */
  get(id: string): Promise<CacheResult<ProductView>> {
    return this.cache.getOrLoad(productCacheKey(id), () => this.find(id), PRODUCT_CACHE);
  }

  async create(input: NewProduct): Promise<ProductView> {
    const created = await this.products.create({
      id: uuidv7(),
      sku: input.sku,
      name: input.name,
      description: input.description ?? null,
      priceCents: input.priceCents,
      currency: input.currency.toUpperCase(),
    });
    if (!created) {
      throw new CatalogError(CatalogErrorCode.SkuTaken, 'A product with this SKU already exists.');
    }
    await this.cache.invalidateReplicaReadTags(LIST_TAG);
    return created;
  }

  /** Invalidates before returning: a read after this write never sees the old product. */
  async update(id: string, changes: Partial<NewProduct> & { active?: boolean }): Promise<ProductView> {
    const updated = await this.products.update(id, {
      ...changes,
      currency: changes.currency?.toUpperCase(),
    });
    if (updated === 'sku_taken') {
      throw new CatalogError(CatalogErrorCode.SkuTaken, 'A product with this SKU already exists.');
    }
    if (!updated) {
      throw new CatalogError(CatalogErrorCode.ProductNotFound, 'No such product.');
    }
    await Promise.all([this.cache.invalidate(productCacheKey(id)), this.cache.invalidateReplicaReadTags(LIST_TAG)]);
    return updated;
  }

  /** Deleting a product makes it inactive: orders and stock keep referring to it. */
  deactivate(id: string): Promise<ProductView> {
    return this.update(id, { active: false });
  }

  private resolveFields(fields: string[] | undefined): ProductField[] {
    if (!fields || fields.length === 0) {
      return [...PRODUCT_FIELDS];
    }
    const unknown = fields.filter((field) => !(PRODUCT_FIELDS as readonly string[]).includes(field));
    if (unknown.length > 0) {
      throw new CatalogError(
        CatalogErrorCode.InvalidFields,
        `Unknown fields: ${unknown.join(', ')}. Allowed: ${PRODUCT_FIELDS.join(', ')}.`,
      );
    }
    return [...new Set(fields)] as ProductField[];
  }
}

function withoutId(row: ProductRow): ProductRow {
  const { id: _id, ...rest } = row;
  return rest as ProductRow;
}
