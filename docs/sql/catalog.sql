-- The SQL that libs/catalog's repositories run, by repository method.
-- Generated from the source by `npm run sql:snapshots` and checked by test/architecture/sql-snapshots.spec.ts:
-- do not edit; rewrite it with the command and review the diff. ${...} is interpolated source text.

-- ==== ProductsRepository (libs/catalog/src/products.repository.ts)

-- const PRODUCT_FIELDS (libs/catalog/src/product.read-model.ts) =
[
  'id',
  'sku',
  'name',
  'description',
  'priceCents',
  'currency',
  'active',
  'createdAt',
  'updatedAt',
]

-- const ALL_FIELDS =
selectList(PRODUCT_FIELDS)

-- ProductsRepository.list, on a replica (lag-tolerant)
SELECT ${selectList(fields)} FROM products ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${params.length}

-- ProductsRepository.findById
SELECT ${ALL_FIELDS} FROM products WHERE id = $1

-- ProductsRepository.create
INSERT INTO products (id, sku, name, description, price_cents, currency, active) VALUES ($1, $2, $3, $4, $5, $6, true)
  RETURNING ${ALL_FIELDS}

-- ProductsRepository.update
UPDATE products SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${ALL_FIELDS}
