export * from './billing.module';
export * from './billing-jobs.module';
export * from './billing.service';
export * from './billing.read-model';
export * from './domain/proration';
export * from './domain/billing-period';
