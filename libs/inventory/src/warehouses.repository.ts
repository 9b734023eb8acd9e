import { Database, isUniqueViolation } from '@app/platform';
import { Injectable } from '@nestjs/common';

export interface WarehouseView {
  id: string;
  code: string;
  name: string;
  createdAt: string;
}

type WarehouseRow = { id: string; code: string; name: string; created_at: Date };

@Injectable()
export class WarehousesRepository {
  constructor(private readonly db: Database) {}

  /** `null` when the code is taken. */
  async create(warehouse: { id: string; code: string; name: string }): Promise<WarehouseView | null> {
    try {
      const row = await this.db.one<WarehouseRow>(
        'INSERT INTO warehouses (id, code, name) VALUES ($1, $2, $3) RETURNING id, code, name, created_at',
        [warehouse.id, warehouse.code, warehouse.name],
      );
      return toWarehouse(row!);
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
  }

  async list(): Promise<WarehouseView[]> {
    // The OpenAPI document promises at most 1,000 (docs: openapi-hardening.ts).
    const rows = await this.db.query<WarehouseRow>(
      'SELECT id, code, name, created_at FROM warehouses ORDER BY code LIMIT 1000',
    );
    return rows.map(toWarehouse);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.one('SELECT 1 FROM warehouses WHERE id = $1', [id])) !== null;
  }
}

function toWarehouse(row: WarehouseRow): WarehouseView {
  return { id: row.id, code: row.code, name: row.name, createdAt: new Date(row.created_at).toISOString() };
}
