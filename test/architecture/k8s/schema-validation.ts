import type { K8sObject } from './kustomize';

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/**
 * kubernetes-models is ESM only and the specs compile to CommonJS (whose `import()`
 * would become a require): a function made at run time keeps a real dynamic import.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant body: the one way to a real import() here
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<Record<string, ModelClass | undefined>>;

const MODULES: Record<string, string> = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'policy/v1': 'kubernetes-models/policy/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
};

/** Each object against its Kubernetes JSON schema (kubernetes-models' class and `.validate()`). */
export async function schemaProblems(objects: K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    const id = `${object.apiVersion} ${object.kind}/${object.metadata.name}`;
    if (object.apiVersion === 'monitoring.coreos.com/v1' && object.kind === 'ServiceMonitor') {
      problems.push(...serviceMonitorProblems(object).map((problem) => `${id}: ${problem}`));
      continue;
    }
    const Model = MODULES[object.apiVersion] ? (await importEsm(MODULES[object.apiVersion]))[object.kind] : undefined;
    if (!Model) {
      problems.push(`${id}: no schema known`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${id}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** The CRD's Duration pattern (e.g. 30s, 1m30s). */
const DURATION = /^(?:0|(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?)$/;

/**
 * @kubernetes-models/prometheus-operator is not installed: the fields this repository
 * uses are checked by hand against the CRD (monitoring.coreos.com/v1 ServiceMonitor),
 * and any other field is refused.
 */
export function serviceMonitorProblems(object: K8sObject): string[] {
  const unknown = (value: object, allowed: string[], where: string) =>
    Object.keys(value)
      .filter((key) => !allowed.includes(key))
      .map((key) => `${where}.${key} is not a field checked here`);
  const spec = (object.spec ?? {}) as {
    selector?: { matchLabels?: Record<string, unknown> };
    endpoints?: Array<Record<string, unknown>>;
  };
  const labels = Object.values(spec.selector?.matchLabels ?? {});
  const endpoints = spec.endpoints ?? [];
  return [
    ...unknown(object, ['apiVersion', 'kind', 'metadata', 'spec'], ''),
    ...unknown(spec, ['selector', 'endpoints'], 'spec'),
    ...unknown(spec.selector ?? {}, ['matchLabels'], 'spec.selector'),
    ...(labels.length > 0 && labels.every((label) => typeof label === 'string')
      ? []
      : ['spec.selector.matchLabels: string labels required']),
    ...(endpoints.length > 0 ? [] : ['spec.endpoints: at least one']),
    ...endpoints.flatMap((endpoint, index) => [
      ...unknown(endpoint, ['port', 'path', 'interval'], `spec.endpoints[${index}]`),
      ...(typeof endpoint.port === 'string' ? [] : [`spec.endpoints[${index}].port: a port name`]),
      ...(endpoint.path === undefined || (typeof endpoint.path === 'string' && endpoint.path.startsWith('/'))
        ? []
        : [`spec.endpoints[${index}].path: absolute`]),
      ...(endpoint.interval === undefined || (typeof endpoint.interval === 'string' && DURATION.test(endpoint.interval))
        ? []
        : [`spec.endpoints[${index}].interval: not a duration`]),
    ]),
  ];
}
