export * from './catalog.module';
export * from './products.service';
export * from './product.read-model';
export * from './catalog.errors';
