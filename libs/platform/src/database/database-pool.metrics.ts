import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * Exposes the pg pools' use (total, idle, waiting clients) on /metrics: the primary's as
 * `db_pool_clients`, and with DATABASE_READ_URLS each replica's as `db_replica_pool_clients`,
 * labelled by its position in that list (the URL holds credentials).
 */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const driver = this.dataSource.driver as unknown as { master?: PgPool; slaves?: PgPool[] };
    this.metrics.registerGauge('db_pool_clients', 'PostgreSQL pool clients by state', ['state'], (gauge) => {
      if (driver.master) {
        setCounts(driver.master, (state, count) => gauge.set({ state }, count));
      }
    });
    if (driver.slaves?.length) {
      const help = 'Read replica pool clients by state (replica: its index in DATABASE_READ_URLS)';
      this.metrics.registerGauge('db_replica_pool_clients', help, ['replica', 'state'], (gauge) => {
        driver.slaves?.forEach((pool, index) =>
          setCounts(pool, (state, count) => gauge.set({ replica: String(index), state }, count)),
        );
      });
    }
  }
}

function setCounts(pool: PgPool, set: (state: string, count: number) => void): void {
  set('total', pool.totalCount);
  set('idle', pool.idleCount);
  set('waiting', pool.waitingCount);
}
