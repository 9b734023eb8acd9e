import { existsSync } from 'node:fs';
import { PGBOUNCER_BINARY } from './pgbouncer';

/**
 * Suites that need something this machine may lack (a real Redis or RabbitMQ, a
 * binary). Without it the suite is skipped and the reason is written into its title,
 * where the skip report (test/support/skip-report.js) reads it back and prints it at
 * the end of the run. In CI every server is configured, so a skip there is a bug:
 * `.ci/run` sets CI_REQUIRE_NO_SKIPS=1 and the report fails the run.
 */
type SuiteBody = () => void;

/** The marker the skip report looks for in a skipped suite's title. */
export const SKIP_REASON_PREFIX = '[skipped: ';

export function describeWhen(available: boolean, missing: string): (name: string, body: SuiteBody) => void {
  if (available) {
    return (name, body) => describe(name, body);
  }
  return (name, body) => describe.skip(`${name} ${SKIP_REASON_PREFIX}${missing}]`, body);
}

export const describeWithRedis = describeWhen(
  Boolean(process.env.REDIS_URL),
  'REDIS_URL is not set, this needs a real Redis',
);
export const describeWithRabbit = describeWhen(
  Boolean(process.env.AMQP_URL),
  'AMQP_URL is not set, this needs a real RabbitMQ',
);
export const describeWithPgBouncer = describeWhen(
  existsSync(PGBOUNCER_BINARY),
  `pgbouncer is not installed (Debian's pgbouncer package, ${PGBOUNCER_BINARY})`,
);
