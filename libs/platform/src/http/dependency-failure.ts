/**
 * Recognises errors that mean a dependency (PostgreSQL, Redis, RabbitMQ) is down or
 * unreachable, as opposed to a bug: those become 503, not 500.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  // PostgreSQL SQLSTATEs: admin shutdown, crash shutdown, cannot connect now, connection failures
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300', // too many connections
  // query_canceled: a statement (or an export) ran past its timeout. The database could
  // not answer in time, which is the client's cue to retry later, not a bug: 503.
  '57014',
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is closed',
  'The client is closed',
];

/**
 * TypeORM releases a query runner whose connection broke; the next query through it
 * throws this instead of a driver error (seen when PostgreSQL restarts mid-transaction).
 */
const UNAVAILABLE_ERROR_NAMES = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

export function isDependencyFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Object; depth++) {
    const candidate = current as {
      name?: unknown;
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof candidate.name === 'string' && UNAVAILABLE_ERROR_NAMES.has(candidate.name)) {
      return true;
    }
    if (typeof candidate.code === 'string' && UNAVAILABLE_CODES.has(candidate.code)) {
      return true;
    }
    if (
      typeof candidate.message === 'string' &&
      UNAVAILABLE_MESSAGES.some((fragment) => (candidate.message as string).includes(fragment))
    ) {
      return true;
    }
    current = candidate.driverError ?? candidate.cause;
  }
  return false;
}
