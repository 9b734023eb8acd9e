// Quiet, deterministic defaults for every test file; a spec may override them.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
