import { isUniqueViolation } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ProductEntity } from './product.entity';
import { PRODUCT_FIELDS, ProductField, ProductView } from './product.read-model';

const COLUMN: Record<ProductField, string> = {
  id: 'p.id',
  sku: 'p.sku',
  name: 'p.name',
  description: 'p.description',
  priceCents: 'p.price_cents',
  currency: 'p.currency',
  active: 'p.active',
  createdAt: 'p.created_at',
  updatedAt: 'p.updated_at',
};

export interface ProductListQuery {
  q?: string;
  active?: boolean;
  limit: number;
  afterId?: string;
  fields: ProductField[];
}

export type ProductRow = Partial<ProductView> & { id: string };

@Injectable()
export class ProductsRepository {
  constructor(@InjectRepository(ProductEntity) private readonly products: Repository<ProductEntity>) {}

  /**
   * Keyset page by id (UUID v7, so creation order), selecting only the requested
   * columns, as raw rows (no entity hydration on this hot read). Fetches limit + 1.
   */
  async list(query: ProductListQuery): Promise<ProductRow[]> {
    const fields: ProductField[] = query.fields.includes('id') ? query.fields : ['id', ...query.fields];
    const select = fields.map((field) => `${COLUMN[field]} AS "${field}"`).join(', ');
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.active !== undefined) {
      params.push(query.active);
      where.push(`p.active = $${params.length}`);
    }
    if (query.q) {
      params.push(`%${escapeLike(query.q)}%`);
      where.push(`(p.sku || ' ' || p.name) ILIKE $${params.length}`);
    }
    if (query.afterId) {
      params.push(query.afterId);
      where.push(`p.id > $${params.length}`);
    }
    params.push(query.limit + 1);
    const sql = `SELECT ${select} FROM products p ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY p.id LIMIT $${params.length}`;
    const rows = await this.products.query<ProductRow[]>(sql, params);
    return rows.map(normalise);
  }

  async findById(id: string): Promise<ProductView | null> {
    const select = PRODUCT_FIELDS.map((field) => `${COLUMN[field]} AS "${field}"`).join(', ');
    const rows = await this.products.query<ProductRow[]>(`SELECT ${select} FROM products p WHERE p.id = $1`, [id]);
    return rows[0] ? (normalise(rows[0]) as ProductView) : null;
  }

  /** Returns null when the SKU is taken (the unique index decides). */
  async create(product: Omit<ProductView, 'createdAt' | 'updatedAt' | 'active'>): Promise<ProductView | null> {
    try {
      await this.products.insert({ ...product, active: true });
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
    return this.findById(product.id);
  }

  /** 'sku_taken' when the new SKU collides; null when there is no such product. */
  async update(id: string, changes: Partial<Pick<ProductView, 'sku' | 'name' | 'description' | 'priceCents' | 'currency' | 'active'>>): Promise<ProductView | null | 'sku_taken'> {
    try {
      const result = await this.products.update({ id }, { ...changes, updatedAt: () => 'now()' });
      if (!result.affected) {
        return null;
      }
    } catch (error) {
      if (isUniqueViolation(error)) {
        return 'sku_taken';
      }
      throw error;
    }
    return this.findById(id);
  }
}

function normalise(row: ProductRow): ProductRow {
  const out: ProductRow = { ...row };
  if (row.createdAt !== undefined) {
    out.createdAt = new Date(row.createdAt).toISOString();
  }
  if (row.updatedAt !== undefined) {
    out.updatedAt = new Date(row.updatedAt).toISOString();
  }
  if (row.currency !== undefined) {
    out.currency = row.currency.trim();
  }
  return out;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
