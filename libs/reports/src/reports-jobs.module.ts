import { OrderCancelled, OrderPlaced } from '@app/orders';
import { InvalidMessageError, MessageBus } from '@app/platform';
import { Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ReportRequested } from './report.events';
import { ReportError, ReportErrorCode } from './reports.errors';
import { ReportsModule } from './reports.module';
import { ReportsService } from './reports.service';

/**
 * The worker's consumers: report generation, and the daily sales rollup. Each takes
 * only its declared event types, with payloads checked against their contracts by
 * the bus; anything else is dead-lettered and changes nothing.
 */
@Injectable()
export class ReportsConsumers implements OnApplicationBootstrap {
  constructor(
    private readonly bus: MessageBus,
    private readonly reports: ReportsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consumeEvents(
      { queue: 'reports.generate', events: [ReportRequested], maxAttempts: 3 },
      async (event) => {
        try {
          await this.reports.generate(event.payload.reportId);
        } catch (error) {
          // The outbox publishes only after the report row committed: an unknown id never will exist.
          if (error instanceof ReportError && error.code === ReportErrorCode.NotFound) {
            throw new InvalidMessageError(`no report ${event.payload.reportId}`);
          }
          throw error;
        }
      },
    );
    await this.bus.consumeEvents(
      { queue: 'reports.sales-rollup', events: [OrderPlaced, OrderCancelled] },
      async (event) => {
        await this.reports.applyOrderEvent(event.id, event.type, event.payload);
      },
    );
  }
}

@Module({ imports: [ReportsModule], providers: [ReportsConsumers] })
export class ReportsJobsModule {}
