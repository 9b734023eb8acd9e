import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCatalogInventoryOrders1764200000000 implements MigrationInterface {
  name = 'CreateCatalogInventoryOrders1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`
      CREATE TABLE products (
        id uuid PRIMARY KEY,
        sku text NOT NULL,
        name text NOT NULL,
        description text NULL,
        price_cents integer NOT NULL,
        currency char(3) NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX products_sku_key ON products (sku)`);
    await queryRunner.query(
      `CREATE INDEX products_search_idx ON products USING gin ((sku || ' ' || name) gin_trgm_ops)`,
    );

    await queryRunner.query(`
      CREATE TABLE warehouses (
        id uuid PRIMARY KEY,
        code text NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX warehouses_code_key ON warehouses (code)`);

    await queryRunner.query(`
      CREATE TABLE stock_levels (
        product_id uuid NOT NULL,
        warehouse_id uuid NOT NULL,
        on_hand integer NOT NULL DEFAULT 0,
        reserved integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (product_id, warehouse_id),
        CONSTRAINT stock_levels_bounds_check CHECK (reserved >= 0 AND reserved <= on_hand)
      )`);

    await queryRunner.query(`
      CREATE TABLE stock_movements (
        id uuid PRIMARY KEY,
        product_id uuid NOT NULL,
        warehouse_id uuid NOT NULL,
        on_hand_delta integer NOT NULL,
        reserved_delta integer NOT NULL,
        reason text NOT NULL,
        order_id uuid NULL,
        actor_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX stock_movements_product_warehouse_idx ON stock_movements (product_id, warehouse_id)`,
    );
    // The ledger is append-only: rows can be added, never changed or removed.
    await queryRunner.query(`
      CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'stock_movements is append-only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
      FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only()`);

    await queryRunner.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        status text NOT NULL,
        total_cents bigint NOT NULL,
        currency char(3) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT orders_status_check CHECK (status IN ('placed', 'cancelled'))
      )`);
    await queryRunner.query(`CREATE INDEX orders_user_idx ON orders (user_id, id)`);
    await queryRunner.query(`CREATE INDEX orders_created_idx ON orders (created_at, id)`);
    await queryRunner.query(`
      CREATE TABLE order_items (
        order_id uuid NOT NULL,
        product_id uuid NOT NULL,
        quantity integer NOT NULL,
        unit_price_cents integer NOT NULL,
        PRIMARY KEY (order_id, product_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE order_reservations (
        order_id uuid NOT NULL,
        product_id uuid NOT NULL,
        warehouse_id uuid NOT NULL,
        quantity integer NOT NULL,
        PRIMARY KEY (order_id, product_id, warehouse_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE order_reservations');
    await queryRunner.query('DROP TABLE order_items');
    await queryRunner.query('DROP TABLE orders');
    await queryRunner.query('DROP TABLE stock_movements');
    await queryRunner.query('DROP FUNCTION stock_movements_append_only');
    await queryRunner.query('DROP TABLE stock_levels');
    await queryRunner.query('DROP TABLE warehouses');
    await queryRunner.query('DROP TABLE products');
  }
}
