export * from './auth.module';
export * from './auth-jobs.module';
export * from './auth.service';
export * from './auth.errors';
export * from './account-bootstrap';
export * from './tokens/token-issuer';
export * from './tokens/session-revocation';
export { EmailRequested, type EmailRequest } from './email/email.events';
