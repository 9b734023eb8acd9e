import { podSpecOf, type K8sObject } from './kustomize';

/** The parts of the Kubernetes types the checks read (the schemas themselves: schema-validation.ts). */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; runAsUser?: number };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}

export interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: Array<{ name: string; emptyDir?: object }>;
}

export interface Workload {
  object: K8sObject;
  id: string;
  pod: PodSpec;
  labels: Record<string, string>;
}

export type Labels = Record<string, string>;

export const idOf = (object: K8sObject): string => `${object.kind}/${object.metadata.name}`;

/** The Deployments and Jobs, with their pod specs and pod labels. */
export function workloads(objects: K8sObject[]): Workload[] {
  return objects.flatMap((object) => {
    const pod = podSpecOf(object) as PodSpec | undefined;
    if (!pod) {
      return [];
    }
    const template = (object.spec as { template: { metadata?: { labels?: Labels } } }).template;
    return [{ object, id: idOf(object), pod, labels: template.metadata?.labels ?? {} }];
  });
}

export function findObject(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((object) => object.kind === kind && object.metadata.name === name);
}

/** A matchLabels selector (an empty one would select every pod: refused here). */
export function selects(selector: Labels | undefined, labels: Labels): boolean {
  const pairs = Object.entries(selector ?? {});
  return pairs.length > 0 && pairs.every(([key, value]) => labels[key] === value);
}

export function configMapData(objects: K8sObject[], name: string): Record<string, string> {
  return (findObject(objects, 'ConfigMap', name)?.data as Record<string, string> | undefined) ?? {};
}

/**
 * A container's environment as the kubelet builds it (envFrom, then env), with each
 * secret key given by `secretValue` (undefined: the key is absent, so the variable is unset).
 */
export function containerEnvironment(
  objects: K8sObject[],
  container: Container,
  secretValue: (ref: { name: string; key: string; optional?: boolean }) => string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.secretRef) {
      throw new Error(`${container.name}: envFrom secretRef hides which keys it needs; use secretKeyRef`);
    }
    Object.assign(env, configMapData(objects, source.configMapRef!.name));
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    const value = ref ? secretValue(ref) : variable.value;
    if (value !== undefined) {
      env[variable.name] = value;
    }
  }
  return env;
}

/** Every variable a manifest names: ConfigMap keys of the pods' envFrom, and their env entries. */
export function namedVariables(objects: K8sObject[]): Set<string> {
  const names = new Set<string>();
  for (const { pod } of workloads(objects)) {
    for (const container of pod.containers) {
      for (const source of container.envFrom ?? []) {
        Object.keys(configMapData(objects, source.configMapRef?.name ?? '')).forEach((name) => names.add(name));
      }
      (container.env ?? []).forEach((variable) => names.add(variable.name));
    }
  }
  return names;
}

export function secretKeyRefs(container: Container): Array<{ name: string; key: string; optional: boolean }> {
  return (container.env ?? []).flatMap((variable) => {
    const ref = variable.valueFrom?.secretKeyRef;
    return ref ? [{ name: ref.name, key: ref.key, optional: ref.optional === true }] : [];
  });
}
