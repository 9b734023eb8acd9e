export * from './users.module';
export * from './user-accounts.port';
export * from './users.errors';
export * from './user.read-model';
export * from './user-role';
export * from './dto/user.response';
export * from './user-sessions.port';
