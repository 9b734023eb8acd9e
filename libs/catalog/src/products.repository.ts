import { Database, isUniqueViolation } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { PRODUCT_FIELDS, ProductField, ProductView } from './product.read-model';

const COLUMN: Record<ProductField, string> = {
  id: 'id',
  sku: 'sku',
  name: 'name',
  description: 'description',
  priceCents: 'price_cents',
  currency: 'currency',
  active: 'active',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

/** Every column under its API name, so a row is a `ProductView` but for `normalise`. */
const ALL_FIELDS = selectList(PRODUCT_FIELDS);

export interface ProductListQuery {
  q?: string;
  active?: boolean;
  limit: number;
  afterId?: string;
  fields: ProductField[];
}

export type ProductRow = Partial<ProductView> & { id: string };

export type ProductChanges = Partial<
  Pick<ProductView, 'sku' | 'name' | 'description' | 'priceCents' | 'currency' | 'active'>
>;

/** The columns a PATCH may set, in a fixed order (so the statement text is stable for a given set of changes). */
const CHANGEABLE = ['sku', 'name', 'description', 'priceCents', 'currency', 'active'] as const satisfies ReadonlyArray<
  keyof ProductChanges
>;

@Injectable()
export class ProductsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Keyset page by id (UUID v7, so creation order), selecting only the requested
   * columns, as plain rows. Fetches limit + 1.
   */
  async list(query: ProductListQuery): Promise<ProductRow[]> {
    const fields: ProductField[] = query.fields.includes('id') ? query.fields : ['id', ...query.fields];
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.active !== undefined) {
      params.push(query.active);
      where.push(`active = $${params.length}`);
    }
    if (query.q) {
      params.push(`%${escapeLike(query.q)}%`);
      where.push(`(sku || ' ' || name) ILIKE $${params.length}`);
    }
    if (query.afterId) {
      params.push(query.afterId);
      where.push(`id > $${params.length}`);
    }
    params.push(query.limit + 1);
    const rows = await this.db.replica.query<ProductRow>(
      `SELECT ${selectList(fields)} FROM products ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${params.length}`,
      params,
    );
    return rows.map(normalise);
  }

  async findById(id: string): Promise<ProductView | null> {
    const row = await this.db.one<ProductRow>(`SELECT ${ALL_FIELDS} FROM products WHERE id = $1`, [id]);
    return row ? (normalise(row) as ProductView) : null;
  }

  /** Returns null when the SKU is taken (the unique index decides). */
  async create(product: Omit<ProductView, 'createdAt' | 'updatedAt' | 'active'>): Promise<ProductView | null> {
    try {
      const row = await this.db.one<ProductRow>(
        `INSERT INTO products (id, sku, name, description, price_cents, currency, active) VALUES ($1, $2, $3, $4, $5, $6, true)
         RETURNING ${ALL_FIELDS}`,
        [product.id, product.sku, product.name, product.description, product.priceCents, product.currency],
      );
      return normalise(row!) as ProductView;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
  }

  /** Sets the given (defined) fields. 'sku_taken' when the new SKU collides; null when there is no such product. */
  async update(id: string, changes: ProductChanges): Promise<ProductView | null | 'sku_taken'> {
    const params: unknown[] = [id];
    const assignments = CHANGEABLE.filter((field) => changes[field] !== undefined).map((field) => {
      params.push(changes[field]);
      return `${COLUMN[field]} = $${params.length}`;
    });
    try {
      const row = await this.db.one<ProductRow>(
        `UPDATE products SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${ALL_FIELDS}`,
        params,
      );
      return row ? (normalise(row) as ProductView) : null;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return 'sku_taken';
      }
      throw error;
    }
  }
}

function selectList(fields: readonly ProductField[]): string {
  return fields.map((field) => `${COLUMN[field]} AS "${field}"`).join(', ');
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
