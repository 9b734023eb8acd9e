import { FileStorage } from '@app/files';
import { CacheAside, CacheLoadOptions, OutboxRepository, ROOT_LOGGER, Transactional } from '@app/platform';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PassThrough, pipeline, Readable } from 'node:stream';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { ExportStream, NdjsonFormatter } from './order-rows';
import { OrdersExportRepository } from './orders-export.repository';
import { ReportRequested } from './report.events';
import { ReportError, ReportErrorCode } from './reports.errors';
import { ReportsRepository, ReportView, SalesRow } from './reports.repository';

export type ExportFormat = 'csv' | 'ndjson';

export interface DateRange {
  from?: Date;
  to?: Date;
}

const SALES_TAG = 'reports:sales';
/** How GET /v1/reports/sales caches its responses: every order event applied to the rollup drops them all (one tag). */
export const SALES_CACHE: CacheLoadOptions = { tags: [SALES_TAG], name: 'sales' };
/** Every report file's key starts with this (see storageKey). */
const REPORT_KEY_PREFIX = 'report-';
const EPOCH = new Date(0);

@Injectable()
export class ReportsService implements OnApplicationBootstrap {
  constructor(
    private readonly exports: OrdersExportRepository,
    private readonly reports: ReportsRepository,
    private readonly storage: FileStorage,
    private readonly cache: CacheAside,
    private readonly outbox: OutboxRepository,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** The api and the worker both start here: partial report files of dead processes go. */
  async onApplicationBootstrap(): Promise<void> {
    await this.sweepPartials();
  }

  /**
   * Removes partial report files whose writer is gone (a killed or crashed process). A
   * failed sweep is logged, never fatal: it is retried at the next start or failed job.
   */
  async sweepPartials(): Promise<void> {
    try {
      const removed = await this.storage.sweepPartials(REPORT_KEY_PREFIX);
      if (removed.length > 0) {
        this.logger.warn({ removed }, 'removed partial report files left by a stopped process');
      }
    } catch (error) {
      this.logger.error({ err: error }, 'sweeping partial report files failed');
    }
  }

  /**
   * The one export used by the HTTP route and by the worker, with back-pressure end to
   * end: CSV comes from the database as it is (one COPY), NDJSON from batched reads
   * through the formatter. Destroying the returned stream (the client went away) stops
   * the reads and gives their connection up at once.
   */
  async exportOrders(format: ExportFormat, range: DateRange): Promise<ExportStream> {
    const { from, to } = this.range(range);
    if (format === 'csv') {
      return this.exports.copyCsv(from, to);
    }
    const cursor = await this.exports.openCursor(from, to);
    const formatter = new NdjsonFormatter();
    // pipeline() destroys the formatter with the cursor's error, so whoever reads it
    // (the HTTP reply, the report's storage write) fails too; the callback only has to
    // exist, the error is theirs to handle.
    pipeline(cursor, formatter, () => undefined);
    return formatter;
  }

  async request(requestedBy: string, format: ExportFormat, range: DateRange): Promise<ReportView> {
    const { from, to } = this.range(range);
    return this.queue({ id: uuidv7(), requestedBy, format, from, to });
  }

  async get(id: string): Promise<ReportView> {
    const report = await this.reports.find(id);
    if (!report) {
      throw new ReportError(ReportErrorCode.NotFound, 'No such report.');
    }
    return report;
  }

  /**
   * Builds a queued report into file storage (the worker's consumer calls this). The
   * storage writes atomically, so a retry after a crash replaces, never appends to, a
   * partial file. Any failure, from the database as much as from the storage, rejects
   * the write (the partial file goes with it): the report is marked failed with the
   * error and the error is rethrown so the bus retries, then dead-letters it.
   */
  async generate(reportId: string): Promise<void> {
    const report = await this.get(reportId);
    if (report.status === 'done') {
      return;
    }
    await this.reports.markRunning(reportId);
    try {
      const rows = await this.exportOrders(report.format, { from: new Date(report.from), to: new Date(report.to) });
      await this.storage.write(storageKey(report), rows);
      await this.reports.markDone(reportId, rows.rows, rows.bytes);
    } catch (error) {
      await this.reports.markFailed(reportId, error instanceof Error ? error.message : String(error));
      await this.sweepPartials();
      throw error;
    }
  }

  async download(id: string): Promise<{ report: ReportView; stream: Readable }> {
    const report = await this.get(id);
    if (report.status !== 'done') {
      throw new ReportError(ReportErrorCode.NotReady, `The report is ${report.status}.`);
    }
    const stream = await this.storage.read(storageKey(report));
    return { report, stream: stream.pipe(new PassThrough()) };
  }

  /** Applies order.placed (+1) or order.cancelled (-1) to the daily rollup, once per event. */
  async applyOrderEvent(
    eventId: string,
    type: string,
    order: { createdAt: string; currency: string; totalCents: number; items: Array<{ quantity: number }> },
  ): Promise<boolean> {
    const sign = type === 'order.cancelled' ? -1 : 1;
    const units = order.items.reduce((sum, item) => sum + item.quantity, 0);
    const applied = await this.applyOnce(eventId, sign, {
      createdAt: order.createdAt,
      currency: order.currency,
      totalCents: order.totalCents,
      units,
    });
    // After the commit, not inside it: a read between the invalidation and the commit would cache the old rollup again.
    if (applied) {
      await this.cache.invalidateReplicaReadTags(SALES_TAG);
    }
    return applied;
  }

  /** Uncached: its route caches the response (SALES_CACHE). */
  sales(range: DateRange): Promise<SalesRow[]> {
    const { from, to } = this.range(range);
    return this.reports.sales(from, to);
  }

  /** The report row and its `report.requested` message commit together (transactional outbox). */
  @Transactional()
  private async queue(report: {
    id: string;
    requestedBy: string;
    format: ExportFormat;
    from: Date;
    to: Date;
  }): Promise<ReportView> {
    const queued = await this.reports.insertQueued(report);
    await this.outbox.enqueue(ReportRequested, { reportId: report.id });
    return queued;
  }

  /**
   * Exactly once per event: the event id is recorded in the same transaction as the
   * rollup change, and a redelivered event finds it already there and changes nothing.
   */
  @Transactional()
  private async applyOnce(
    eventId: string,
    sign: 1 | -1,
    order: { createdAt: string; currency: string; totalCents: number; units: number },
  ): Promise<boolean> {
    if (!(await this.reports.markEventProcessed(eventId))) {
      return false;
    }
    await this.reports.addToDailySales(sign, order);
    return true;
  }

  private range(range: DateRange): { from: Date; to: Date } {
    const from = range.from ?? EPOCH;
    const to = range.to ?? new Date(Date.now() + 24 * 60 * 60 * 1000);
    if (from.getTime() >= to.getTime()) {
      throw new ReportError(ReportErrorCode.InvalidRange, '`from` must be before `to`.');
    }
    return { from, to };
  }
}

function storageKey(report: ReportView): string {
  return `report-${report.id}.${report.format}`;
}
