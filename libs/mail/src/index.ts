export * from './mail.module';
export * from './mail.config';
export * from './mailer';
export * from './mail-message';
export * from './templates/account-emails';
export { escapeHtml } from './templates/html';
