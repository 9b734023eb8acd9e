import { productionConfigProblem } from '../../../libs/platform/src/config/production-guard';
import { appConfig } from '../../../libs/platform/src/config/app.config';
import { amqpConfig } from '../../../libs/platform/src/config/amqp.config';
import { databaseConfig } from '../../../libs/platform/src/config/database.config';
import { redisConfig } from '../../../libs/platform/src/config/redis.config';
import { rateLimitConfig } from '../../../libs/platform/src/throttling/rate-limit.config';
import { authConfig } from '../../../libs/auth/src/auth.config';
import { mfaConfig } from '../../../libs/auth/src/mfa/mfa.config';
import { mailConfig } from '../../../libs/mail/src/mail.config';
import { filesConfig } from '../../../libs/files/src/files.config';
import { usersConfig } from '../../../libs/users/src/users.config';
import {
  containerEnvironment,
  findObject,
  namedVariables,
  secretKeyRefs,
  workloads,
  type Workload,
} from './k8s-objects';
import type { K8sObject } from './kustomize';

/** Every namespace the apps read at start; the migrations Job reads only app and database (apps/api/src/migrate.ts). */
const APP_CONFIG: Record<string, () => unknown> = { app: appConfig, database: databaseConfig };
const ALL_CONFIG: Record<string, () => unknown> = {
  ...APP_CONFIG,
  redis: redisConfig,
  amqp: amqpConfig,
  rateLimit: rateLimitConfig,
  auth: authConfig,
  mfa: mfaConfig,
  mail: mailConfig,
  files: filesConfig,
  users: usersConfig,
};

/**
 * What an external Secret (prod) holds for each required key, strong and of the right
 * shape: a required key without one here fails the check, so a new secret is noticed.
 */
const STAND_INS: Record<string, string> = {
  DATABASE_URL: 'postgres://commerce:q9Jx2vT7wLmR@postgres.internal:5432/commerce',
  REDIS_URL: 'redis://:q9Jx2vT7wLmR@redis.internal:6379',
  AMQP_URL: 'amqp://commerce:q9Jx2vT7wLmR@rabbitmq.internal:5672',
  JWT_SECRET: 'q9Jx2vT7wLmR4pZs8KdN3bYf6HcA1uEgWo5iXrVt0',
  MFA_ENCRYPTION_KEY: 'Vb8Zq2mN6xR1tK9wP4sL7dF3hJ0gC5yE2aU8iO6nB1s=',
};

/** Several pods share these servers: without them each pod would fall back to its own memory cache and bus. */
const SHARED_SERVERS = ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL'];

/**
 * Read by the OpenTelemetry SDK itself. Tracing is off unless they name an exporter or an
 * endpoint, and a cluster with a collector sets them in an overlay (docs/scaling.md, "Tracing").
 */
const TRACING_OFF = 'tracing is off by default; an overlay sets it where a collector runs';
const TRACING_VARIABLES = [
  'OTEL_SDK_DISABLED',
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_SERVICE_NAME',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_PROPAGATORS',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_BSP_MAX_QUEUE_SIZE',
  'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  'OTEL_LOG_LEVEL',
];

/** Documented variables a pod does not set, and why. */
export const NOT_ON_KUBERNETES: Record<string, string> = {
  EMBEDDED_PG_DIR: 'embedded PostgreSQL is for development on one machine',
  EMBEDDED_PG_PORT: 'embedded PostgreSQL is for development on one machine',
  TEST_EMBEDDED_PG_PORT: "npm test's own embedded server",
  API_INSTANCES: 'the PM2 cluster size: one process per container here, replicas instead',
  S3_ENDPOINT: 'AWS S3 needs none; an overlay sets it for an S3-compatible store (dev: MinIO)',
  TEST_PGBOUNCER_PORT: "npm test's own PgBouncers",
  ...Object.fromEntries(TRACING_VARIABLES.map((name) => [name, TRACING_OFF])),
};

function withEnvironment<T>(env: Record<string, string>, read: () => T): T {
  const saved = process.env;
  process.env = { ...env };
  try {
    return read();
  } finally {
    process.env = saved;
  }
}

/** A Secret rendered with the objects (dev's generator) gives its values; an external one (prod) the stand-ins. */
function secretValues(objects: K8sObject[], problems: string[], id: string) {
  return (ref: { name: string; key: string; optional?: boolean }): string | undefined => {
    const secret = findObject(objects, 'Secret', ref.name);
    const encoded = (secret?.data as Record<string, string> | undefined)?.[ref.key];
    const value = secret
      ? encoded && Buffer.from(encoded, 'base64').toString()
      : ref.optional
        ? undefined
        : STAND_INS[ref.key];
    if (value === undefined && !ref.optional) {
      problems.push(`${id}: required secret key ${ref.name}/${ref.key} has no value (the pod would not start)`);
    }
    return value;
  };
}

function containerProblems(objects: K8sObject[], workload: Workload): string[] {
  const problems: string[] = [];
  for (const container of workload.pod.containers) {
    const env = containerEnvironment(objects, container, secretValues(objects, problems, workload.id));
    // The apps fail closed at start; the migrations Job needs no secret but DATABASE_URL.
    const isJob = workload.object.kind === 'Job';
    if (env.NODE_ENV === 'production' && !isJob) {
      const problem = productionConfigProblem(env);
      problems.push(...(problem ? [`${workload.id}: ${problem}`] : []));
    }
    for (const [namespace, read] of Object.entries(isJob ? APP_CONFIG : ALL_CONFIG)) {
      try {
        withEnvironment(env, read);
      } catch (error) {
        problems.push(`${workload.id} ${namespace}: ${(error as Error).message}`);
      }
    }
    const missing = isJob ? [] : SHARED_SERVERS.filter((name) => !env[name]);
    problems.push(...missing.map((name) => `${workload.id}: ${name} unset`));
  }
  return problems;
}

/** Each pod's environment passes the fail-closed production check and every config schema it reads. */
export function environmentProblems(objects: K8sObject[]): string[] {
  return workloads(objects).flatMap((workload) => containerProblems(objects, workload));
}

/** The manifests and docs/configuration.md name the same variables (less the ones with a reason not to). */
export function documentationProblems(objects: K8sObject[], documented: Set<string>): string[] {
  const named = namedVariables(objects);
  return [
    ...[...named].filter((name) => !documented.has(name)).map((name) => `${name} is not in docs/configuration.md`),
    ...[...documented]
      .filter((name) => !named.has(name) && !(name in NOT_ON_KUBERNETES))
      .map((name) => `${name} is documented but no pod sets or references it`),
  ];
}

/** The variable names of docs/configuration.md's table (its second column). */
export function documentedVariables(markdown: string): Set<string> {
  const cells = markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.split('|')[2] ?? '');
  return new Set(cells.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1])));
}

/** secret.example.env lists every key the pods reference: required ones set, optional ones commented out. */
export function secretExampleProblems(objects: K8sObject[], example: string): string[] {
  const keys = (pattern: RegExp) => new Set([...example.matchAll(pattern)].map((match) => match[1]));
  const required = keys(/^([A-Z][A-Z0-9_]*)=/gm);
  const optional = keys(/^# ([A-Z][A-Z0-9_]*)=/gm);
  const refs = workloads(objects).flatMap((w) => w.pod.containers.flatMap(secretKeyRefs));
  return refs
    .filter((ref) => !(ref.optional ? optional : required).has(ref.key))
    .map((ref) => `${ref.key} (${ref.optional ? 'optional' : 'required'}) is not listed so in secret.example.env`);
}
