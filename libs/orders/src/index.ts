export * from './orders.module';
export * from './orders.service';
export * from './order.read-model';
export * from './orders.errors';
export * from './order.events';
