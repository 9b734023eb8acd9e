import { MessageBus } from '@app/platform';
import { Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ReportsModule } from './reports.module';
import { REPORT_REQUESTED } from './reports.repository';
import { ReportsService } from './reports.service';

interface OrderEventPayload {
  createdAt: string;
  currency: string;
  totalCents: number;
  items: Array<{ quantity: number }>;
}

/** The worker's consumers: report generation, and the daily sales rollup. */
@Injectable()
export class ReportsConsumers implements OnApplicationBootstrap {
  constructor(
    private readonly bus: MessageBus,
    private readonly reports: ReportsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({ queue: 'reports.generate', bindings: [REPORT_REQUESTED], maxAttempts: 3 }, async (message) => {
      await this.reports.generate((message.payload as { reportId: string }).reportId);
    });
    await this.bus.consume({ queue: 'reports.sales-rollup', bindings: ['order.placed', 'order.cancelled'] }, async (message) => {
      await this.reports.applyOrderEvent(message.id, message.type, message.payload as OrderEventPayload);
    });
  }
}

@Module({ imports: [ReportsModule], providers: [ReportsConsumers] })
export class ReportsJobsModule {}
