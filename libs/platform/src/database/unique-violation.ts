/**
 * True when PostgreSQL refused a row for breaking a unique index (SQLSTATE 23505): a `pg`
 * error from `Database`, or TypeORM's wrapper of one (migrations, seeds).
 */
export function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  return candidate?.code === '23505' || candidate?.driverError?.code === '23505';
}
