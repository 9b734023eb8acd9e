export * from './files.module';
export * from './files.service';
export * from './files.config';
export * from './storage/file-storage';
