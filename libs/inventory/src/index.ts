export * from './inventory.module';
export * from './inventory.service';
export * from './inventory.errors';
