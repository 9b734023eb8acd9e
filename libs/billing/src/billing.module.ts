import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingRepository } from './billing.repository';
import { BillingService } from './billing.service';
import { DemoPlansSeed } from './demo-plans.seed';
import { InvoiceEntity, InvoiceLineEntity } from './invoice.entity';
import { InvoicesController, RenewalsAdminController } from './invoices.controller';
import { InvoicesRepository } from './invoices.repository';
import { PlanEntity } from './plan.entity';
import { PlansController } from './plans.controller';
import { RenewalsRepository } from './renewals.repository';
import { SubscriptionEntity } from './subscription.entity';
import { SubscriptionsController } from './subscriptions.controller';

@Module({
  imports: [TypeOrmModule.forFeature([PlanEntity, SubscriptionEntity, InvoiceEntity, InvoiceLineEntity])],
  controllers: [PlansController, SubscriptionsController, InvoicesController, RenewalsAdminController],
  providers: [BillingRepository, InvoicesRepository, RenewalsRepository, BillingService, DemoPlansSeed],
  exports: [BillingService],
})
export class BillingModule {}
