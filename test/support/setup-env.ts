// Quiet, deterministic defaults for every test file; a spec may override them.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.JWT_SECRET ??= 'test-secret-that-is-at-least-32-bytes-long-0123456789';
