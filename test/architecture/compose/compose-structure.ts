/**
 * The parts of the Compose specification's schema (compose-spec.json) this project's
 * compose file uses, checked by hand: the schema is not available offline and there is
 * no Docker engine on CI's test machine. Unknown keys are reported (as `docker compose
 * config` does), so a typo such as `healthcheck.start-period` fails here, not on a host.
 */
export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: unknown;
  environment?: Record<string, unknown> | string[];
  ports?: unknown[];
  volumes?: unknown[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: Record<string, unknown>;
  restart?: string;
  hostname?: string;
  profiles?: string[];
  stop_grace_period?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const TOP_LEVEL = new Set(['version', 'name', 'include', 'services', 'networks', 'volumes', 'configs', 'secrets']);
const SERVICE_KEYS = new Set([
  'image',
  'build',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'expose',
  'volumes',
  'depends_on',
  'healthcheck',
  'restart',
  'hostname',
  'profiles',
  'stop_grace_period',
  'stop_signal',
  'user',
  'working_dir',
  'networks',
  'labels',
  'logging',
  'deploy',
  'init',
  'read_only',
  'tmpfs',
]);
const HEALTHCHECK_KEYS = new Set([
  'test',
  'interval',
  'timeout',
  'retries',
  'start_period',
  'start_interval',
  'disable',
]);
const RESTART = /^(?:no|always|unless-stopped|on-failure(?::\d+)?)$/;
const DURATION = /^(?:\d+(?:\.\d+)?(?:us|ms|[smh]))+$/;
const CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
const PROFILE = /^[a-z0-9][\w.-]+$/i;
const ENV_VALUE_TYPES = new Set(['string', 'number', 'boolean']);

const isStringList = (value: unknown): boolean =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function checkHealthcheck(where: string, healthcheck: Record<string, unknown>): string[] {
  const problems = Object.keys(healthcheck)
    .filter((key) => !HEALTHCHECK_KEYS.has(key))
    .map((key) => `${where}.healthcheck: unknown key ${key}`);
  const test = healthcheck.test;
  const isCommand = isStringList(test) && ['NONE', 'CMD', 'CMD-SHELL'].includes((test as string[])[0]);
  if (typeof test !== 'string' && !isCommand) {
    problems.push(`${where}.healthcheck.test: a string or a list starting with NONE, CMD or CMD-SHELL`);
  }
  for (const key of ['interval', 'timeout', 'start_period', 'start_interval']) {
    const value = healthcheck[key];
    if (value !== undefined && !(typeof value === 'string' && DURATION.test(value))) {
      problems.push(`${where}.healthcheck.${key}: not a duration (${JSON.stringify(value)})`);
    }
  }
  if (healthcheck.retries !== undefined && !Number.isInteger(healthcheck.retries)) {
    problems.push(`${where}.healthcheck.retries: not an integer`);
  }
  return problems;
}

function checkEnvironment(where: string, environment: unknown): string[] {
  if (isStringList(environment)) {
    return [];
  }
  if (!environment || typeof environment !== 'object' || Array.isArray(environment)) {
    return [`${where}.environment: a map or a list of KEY=VALUE`];
  }
  return Object.entries(environment)
    .filter(([, value]) => value !== null && !ENV_VALUE_TYPES.has(typeof value))
    .map(([key]) => `${where}.environment.${key}: a string, number, boolean or no value`);
}

/** Its dependencies, and the conditions it waits for. */
function dependencies(service: ComposeService): Array<[string, string | undefined]> {
  const dependsOn = service.depends_on ?? {};
  return Array.isArray(dependsOn)
    ? dependsOn.map((name) => [name, undefined])
    : Object.entries(dependsOn).map(([name, options]) => [name, options.condition]);
}

function checkService(file: ComposeFile, name: string, service: ComposeService): string[] {
  const where = `services.${name}`;
  const problems = Object.keys(service)
    .filter((key) => !SERVICE_KEYS.has(key))
    .map((key) => `${where}: unknown key ${key}`);
  if (!service.image && !service.build) {
    problems.push(`${where}: needs an image or a build`);
  }
  if (service.restart !== undefined && !RESTART.test(service.restart)) {
    problems.push(`${where}.restart: not a restart policy (${service.restart})`);
  }
  if (service.stop_grace_period !== undefined && !DURATION.test(service.stop_grace_period)) {
    problems.push(`${where}.stop_grace_period: not a duration`);
  }
  if (service.command !== undefined && typeof service.command !== 'string' && !isStringList(service.command)) {
    problems.push(`${where}.command: a string or a list of strings`);
  }
  if (
    service.profiles !== undefined &&
    !(isStringList(service.profiles) && service.profiles.every((p) => PROFILE.test(p)))
  ) {
    problems.push(`${where}.profiles: a list of profile names`);
  }
  if (service.healthcheck) {
    problems.push(...checkHealthcheck(where, service.healthcheck));
  }
  if (service.environment !== undefined) {
    problems.push(...checkEnvironment(where, service.environment));
  }
  for (const [dependency, condition] of dependencies(service)) {
    const target = file.services[dependency];
    if (!target) {
      problems.push(`${where}.depends_on: no service ${dependency}`);
      continue;
    }
    if (condition !== undefined && !CONDITIONS.has(condition)) {
      problems.push(`${where}.depends_on.${dependency}: unknown condition ${condition}`);
    }
    if (condition === 'service_healthy' && !target.healthcheck) {
      problems.push(`${where}.depends_on.${dependency}: waits for health, but ${dependency} has no healthcheck`);
    }
    // A service always started cannot depend on one that only a profile starts.
    const profiles = target.profiles ?? [];
    if (profiles.length > 0 && !(service.profiles ?? []).some((profile) => profiles.includes(profile))) {
      problems.push(`${where}.depends_on.${dependency}: ${dependency} only runs in profile(s) ${profiles.join(', ')}`);
    }
  }
  for (const volume of service.volumes ?? []) {
    const source = typeof volume === 'string' ? volume.split(':')[0] : '';
    const named = /^[a-z0-9][\w.-]*$/i.test(source);
    if (named && !(source in (file.volumes ?? {}))) {
      problems.push(`${where}.volumes: named volume ${source} is not declared under volumes`);
    }
  }
  return problems;
}

/** Every problem found, as `path: message` lines; empty when the file is valid. */
export function composeProblems(document: unknown): string[] {
  if (!document || typeof document !== 'object') {
    return ['the file is not a map'];
  }
  const file = document as ComposeFile;
  const problems = Object.keys(file)
    .filter((key) => !TOP_LEVEL.has(key) && !key.startsWith('x-'))
    .map((key) => `unknown top-level key ${key}`);
  if (!file.services || typeof file.services !== 'object') {
    return [...problems, 'services: missing'];
  }
  for (const [name, service] of Object.entries(file.services)) {
    problems.push(...checkService(file, name, service));
  }
  return problems;
}
