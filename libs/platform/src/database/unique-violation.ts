import { QueryFailedError } from 'typeorm';

/** True when PostgreSQL refused a row for breaking a unique index (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}
