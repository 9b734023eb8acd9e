import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingService } from './billing.service';
import { DemoPlansSeed } from './demo-plans.seed';
import { InvoiceEntity, InvoiceLineEntity } from './invoice.entity';
import { InvoicesController, RenewalsAdminController } from './invoices.controller';
import { InvoicesRepository } from './invoices.repository';
import { PlanEntity } from './plan.entity';
import { PlansController } from './plans.controller';
import { PlansRepository } from './plans.repository';
import { RenewalsService } from './renewals.service';
import { SubscriptionEntity } from './subscription.entity';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsRepository } from './subscriptions.repository';

@Module({
  imports: [TypeOrmModule.forFeature([PlanEntity, SubscriptionEntity, InvoiceEntity, InvoiceLineEntity])],
  controllers: [PlansController, SubscriptionsController, InvoicesController, RenewalsAdminController],
  providers: [
    PlansRepository,
    SubscriptionsRepository,
    InvoicesRepository,
    BillingService,
    RenewalsService,
    DemoPlansSeed,
  ],
  exports: [BillingService, RenewalsService],
})
export class BillingModule {}
