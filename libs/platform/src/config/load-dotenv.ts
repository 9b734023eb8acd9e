import { existsSync } from 'node:fs';

/**
 * Loads `.env` (if present) into process.env before anything reads configuration,
 * without overriding variables already set. It must run before the embedded
 * database decision, which happens before Nest (and its ConfigModule) starts.
 */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) {
    process.loadEnvFile(file);
  }
}
