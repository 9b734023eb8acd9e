export * from './inventory.module';
export * from './inventory.service';
export * from './stock-ledger';
export * from './inventory.errors';
