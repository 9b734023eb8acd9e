import { ROOT_LOGGER, shouldSeedDemoData } from '@app/platform';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { BillingService } from './billing.service';

const PLANS = [
  { code: 'BASIC-M', name: 'Basic monthly', priceCents: 999, currency: 'EUR', interval: 'month' as const },
  { code: 'PRO-M', name: 'Pro monthly', priceCents: 1999, currency: 'EUR', interval: 'month' as const },
  { code: 'PRO-Y', name: 'Pro yearly', priceCents: 19990, currency: 'EUR', interval: 'year' as const },
];

/** Demo plans for `npm start` on its embedded database, when there are none yet. */
@Injectable()
export class DemoPlansSeed implements OnApplicationBootstrap {
  constructor(
    private readonly billing: BillingService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!shouldSeedDemoData() || (await this.billing.listPlans()).length > 0) {
      return;
    }
    for (const plan of PLANS) {
      await this.billing.createPlan(plan);
    }
    this.logger.info(`demo plans seeded: ${PLANS.map((plan) => plan.code).join(', ')}`);
  }
}
