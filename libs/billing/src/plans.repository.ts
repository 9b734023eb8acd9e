import { Database, isUniqueViolation } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { PlanView } from './billing.read-model';
import type { PlanInterval } from './domain/billing-period';

interface PlanRow {
  id: string;
  code: string;
  name: string;
  price_cents: number;
  currency: string;
  interval: PlanInterval;
}

const PLAN_COLUMNS = 'id, code, name, price_cents, currency, interval';

/** Plans on offer. Only active plans are listed or found. */
@Injectable()
export class PlansRepository {
  constructor(private readonly db: Database) {}

  /** `null` when the code is taken. */
  async create(plan: Omit<PlanView, 'id'>): Promise<PlanView | null> {
    try {
      const row = await this.db.one<PlanRow>(
        `INSERT INTO plans (id, code, name, price_cents, currency, interval) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${PLAN_COLUMNS}`,
        [uuidv7(), plan.code, plan.name, plan.priceCents, plan.currency, plan.interval],
      );
      return toPlan(row!);
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
  }

  async listActive(): Promise<PlanView[]> {
    // The OpenAPI document promises at most 1,000.
    const rows = await this.db.query<PlanRow>(
      `SELECT ${PLAN_COLUMNS} FROM plans WHERE active ORDER BY price_cents, code LIMIT 1000`,
    );
    return rows.map(toPlan);
  }

  async find(id: string): Promise<PlanView | null> {
    const row = await this.db.one<PlanRow>(`SELECT ${PLAN_COLUMNS} FROM plans WHERE id = $1 AND active`, [id]);
    return row ? toPlan(row) : null;
  }
}

function toPlan(row: PlanRow): PlanView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    priceCents: row.price_cents,
    currency: row.currency.trim(),
    interval: row.interval,
  };
}
