import { tmpdir } from 'node:os';

// Quiet, deterministic defaults for every test file; a spec may override them.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.JWT_SECRET ??= 'test-secret-that-is-at-least-32-bytes-long-0123456789';
// Built apps the specs start in production mode (the PM2 cluster) need it; one key, so every app reads every row.
process.env.MFA_ENCRYPTION_KEY ??= 'dGVzdC1tZmEta2V5LW9mLTMyLWJ5dGVzLTAxMjM0NTY=';
// All test requests come from one address; specs that test rate limits lower these.
process.env.THROTTLE_DEFAULT_PER_MINUTE ??= '1000000';
process.env.THROTTLE_AUTH_PER_MINUTE ??= '1000000';
// Each app's metrics listener takes a free port, so concurrent apps never collide.
process.env.METRICS_PORT ??= '0';
// Apps without SMTP_URL write their emails here rather than into the repository's .data/.
process.env.MAIL_DIR ??= `${tmpdir()}/commerce-test-mail`;
