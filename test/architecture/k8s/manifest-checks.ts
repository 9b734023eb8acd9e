import {
  containerEnvironment,
  findObject,
  idOf,
  secretKeyRefs,
  selects,
  workloads,
  type Container,
  type Labels,
  type Workload,
} from './k8s-objects';
import type { K8sObject } from './kustomize';

/**
 * Cross-references between the rendered objects, and between them and the code: each
 * check returns its problems (empty: fine), so a spec can break an object and watch
 * the check report it.
 */

/** What the repository says, against which the manifests are checked. */
export interface RepositoryFacts {
  /** The health controller's public GET routes, as served (e.g. /health/ready). */
  healthRoutes: string[];
  /** The uid of the image's USER (Dockerfile). */
  imageUid: number;
}

/** The spec fields the selector checks read, across the kinds. */
interface ObjectSpec {
  selector?: Record<string, unknown>;
  template?: { metadata?: { labels?: Labels } };
  ports?: Array<{ name?: string; targetPort: string }>;
  podSelector?: { matchLabels?: Labels };
  endpoints?: Array<{ port: string }>;
}

type Check = (objects: K8sObject[], facts: RepositoryFacts) => string[];

/** The variables a container sees from its ConfigMap and plain env entries (secrets left out). */
const plainEnv = (objects: K8sObject[], container: Container) =>
  containerEnvironment(objects, container, () => undefined);
const deployments = (objects: K8sObject[]) => workloads(objects).filter((w) => w.object.kind === 'Deployment');
const containersOf = (objects: K8sObject[]) =>
  workloads(objects).flatMap((workload) => workload.pod.containers.map((container) => ({ workload, container })));

function portNamed(container: Container, port: string | number): boolean {
  return (container.ports ?? []).some((p) => p.name === port || p.containerPort === port);
}

const probes = (container: Container) =>
  [
    ['startupProbe', container.startupProbe],
    ['readinessProbe', container.readinessProbe],
    ['livenessProbe', container.livenessProbe],
  ] as const;

/** HTTP probes ask public routes the API serves, on one of the container's ports. */
const probesHitRoutes: Check = (objects, facts) =>
  containersOf(objects).flatMap(({ workload, container }) =>
    probes(container).flatMap(([kind, probe]) => {
      const get = probe?.httpGet;
      if (!get) {
        return [];
      }
      return [
        ...(facts.healthRoutes.includes(get.path) ? [] : [`${workload.id} ${kind}: no public GET route ${get.path}`]),
        ...(portNamed(container, get.port) ? [] : [`${workload.id} ${kind}: port ${get.port} not on the container`]),
      ];
    }),
  );

/** The API answers readiness and liveness on the routes meant for them. */
const apiProbes: Check = (objects) =>
  containersOf(objects)
    .filter(({ container }) => portNamed(container, 'http'))
    .flatMap(({ workload, container }) => [
      ...(container.readinessProbe?.httpGet?.path === '/health/ready'
        ? []
        : [`${workload.id}: readiness not /health/ready`]),
      ...(container.livenessProbe?.httpGet?.path === '/health/live'
        ? []
        : [`${workload.id}: liveness not /health/live`]),
    ]);

/** Container ports are the ones the process listens on, and the metrics listener is reachable. */
const portsMatchConfig: Check = (objects) =>
  containersOf(objects).flatMap(({ workload, container }) => {
    const env = plainEnv(objects, container);
    const expected: Record<string, string | undefined> = { http: env.PORT, metrics: env.METRICS_PORT };
    const problems = (container.ports ?? [])
      .filter((port) => String(port.containerPort) !== expected[port.name ?? ''])
      .map(
        (port) =>
          `${workload.id}: port ${port.name} is ${port.containerPort}, the process listens on ${expected[port.name ?? '']}`,
      );
    if (portNamed(container, 'metrics') && /^(?:127\.|localhost$|::1$)/.test(env.METRICS_HOST ?? '127.0.0.1')) {
      problems.push(`${workload.id}: METRICS_HOST ${env.METRICS_HOST ?? '(default)'} is unreachable from Prometheus`);
    }
    return problems;
  });

function sleepSeconds(container: Container): number {
  const command = container.lifecycle?.preStop?.exec?.command ?? [];
  return command[0] === 'sleep' ? Number(command[1]) : 0;
}

/** The kubelet's SIGKILL never comes before the preStop pause plus the app's own drain budget. */
const gracePeriodCoversDrain: Check = (objects) =>
  deployments(objects).flatMap(({ id, pod }) =>
    pod.containers.flatMap((container) => {
      const budgetMs =
        Number(plainEnv(objects, container).SHUTDOWN_TIMEOUT_MS ?? 10_000) + sleepSeconds(container) * 1000;
      const graceMs = (pod.terminationGracePeriodSeconds ?? 30) * 1000;
      return graceMs > budgetMs
        ? []
        : [`${id}: grace period ${graceMs} ms does not exceed preStop + drain ${budgetMs} ms`];
    }),
  );

function selectedWorkloads(objects: K8sObject[], selector: Labels | undefined): Workload[] {
  return workloads(objects).filter((workload) => selects(selector, workload.labels));
}

/** Selectors select what they are meant to; named ports exist on what they select. */
const selectorsMatch: Check = (objects) =>
  objects.flatMap((object) => {
    const spec = (object.spec ?? {}) as ObjectSpec;
    const matchLabels = spec.selector?.matchLabels as Labels | undefined;
    const id = idOf(object);
    switch (object.kind) {
      case 'Deployment':
        return selects(matchLabels, spec.template?.metadata?.labels ?? {}) ? [] : [`${id}: selector misses its pods`];
      case 'Service': {
        const pods = selectedWorkloads(objects, spec.selector as Labels);
        const ports = (spec.ports ?? []).filter(
          (port) => !pods.some((w) => w.pod.containers.some((c) => portNamed(c, port.targetPort))),
        );
        return [
          ...(pods.length > 0 ? [] : [`${id}: selects no pods`]),
          ...ports.map((port) => `${id}: targetPort ${port.targetPort} on no selected pod`),
        ];
      }
      case 'PodDisruptionBudget':
        return deployments(objects).filter((w) => selects(matchLabels, w.labels)).length === 1
          ? []
          : [`${id}: does not select exactly one Deployment`];
      case 'HorizontalPodAutoscaler':
        return hpaProblems(objects, object);
      case 'NetworkPolicy':
        return selectedWorkloads(objects, spec.podSelector?.matchLabels).length > 0 ? [] : [`${id}: selects no pods`];
      case 'ServiceMonitor': {
        const services = objects.filter((o) => o.kind === 'Service' && selects(matchLabels, o.metadata.labels ?? {}));
        const ports = services.flatMap((service) => ((service.spec as ObjectSpec).ports ?? []).map((p) => p.name));
        return [
          ...(services.length > 0 ? [] : [`${id}: selects no Service`]),
          ...(spec.endpoints ?? [])
            .filter((e) => !ports.includes(e.port))
            .map((e) => `${id}: no Service port ${e.port}`),
        ];
      }
      default:
        return [];
    }
  });

/** An HPA on CPU scales an existing Deployment whose containers request CPU (utilization is of the request). */
function hpaProblems(objects: K8sObject[], hpa: K8sObject): string[] {
  const spec = hpa.spec as {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    metrics?: Array<{ type: string; resource?: { name: string } }>;
  };
  const target = findObject(objects, spec.scaleTargetRef.kind, spec.scaleTargetRef.name);
  if (!target || target.kind !== 'Deployment' || spec.scaleTargetRef.apiVersion !== target.apiVersion) {
    return [`${idOf(hpa)}: scale target ${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name} not found`];
  }
  const onCpu = (spec.metrics ?? []).some((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu');
  const requestsCpu = workloads([target])[0].pod.containers.every((container) => container.resources?.requests?.cpu);
  return [
    ...(onCpu ? [] : [`${idOf(hpa)}: no CPU metric`]),
    ...(requestsCpu ? [] : [`${idOf(hpa)}: target containers request no CPU`]),
  ];
}

/** Non-root as the image's own user, read-only root, no escalation, bounded resources. */
const locksDown: Check = (objects, facts) =>
  containersOf(objects).flatMap(({ workload: { id, pod }, container }) => {
    const uid = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
    const resources = container.resources ?? {};
    return [
      ...(pod.securityContext?.runAsNonRoot === true ? [] : [`${id}: runAsNonRoot not set`]),
      ...(uid === facts.imageUid ? [] : [`${id}: runs as uid ${uid}, the image's user is ${facts.imageUid}`]),
      ...(container.securityContext?.readOnlyRootFilesystem === true ? [] : [`${id}: root filesystem writable`]),
      ...(container.securityContext?.allowPrivilegeEscalation === false ? [] : [`${id}: privilege escalation allowed`]),
      ...['requests', 'limits'].flatMap((kind) =>
        ['cpu', 'memory']
          .filter((resource) => !(resources as Record<string, Record<string, string> | undefined>)[kind]?.[resource])
          .map((resource) => `${id}: no ${resource} ${kind}`),
      ),
    ];
  });

/** Where the app writes (app-relative paths are under the image's WORKDIR /app) is an emptyDir. */
const writablePathsMounted: Check = (objects) =>
  containersOf(objects)
    .filter(({ workload }) => workload.object.kind === 'Deployment')
    .flatMap(({ workload: { id, pod }, container }) => {
      const env = plainEnv(objects, container);
      const writes = [env.MAIL_DIR, env.FILES_LOCAL_DIR, env.WORKER_HEARTBEAT_FILE, '/tmp/'].filter(
        (file): file is string => Boolean(file),
      );
      const emptyDirs = (container.volumeMounts ?? [])
        .filter((mount) => pod.volumes?.some((volume) => volume.name === mount.name && volume.emptyDir))
        .map((mount) => `${mount.mountPath.replace(/\/$/, '')}/`);
      return writes
        .map((file) => (file.startsWith('/') ? file : `/app/${file}`))
        .filter((file) => !emptyDirs.some((mount) => `${file}/`.startsWith(mount)))
        .map((file) => `${id}: writes ${file}, on no emptyDir`);
    });

/** The worker's liveness reads the heartbeat file it is told to write (as the compose healthcheck does). */
const heartbeatLiveness: Check = (objects) =>
  containersOf(objects).flatMap(({ workload, container }) => {
    const file = plainEnv(objects, container).WORKER_HEARTBEAT_FILE;
    const probe = container.livenessProbe?.exec?.command.join(' ') ?? '';
    return file && !probe.includes(`statSync('${file}')`) ? [`${workload.id}: liveness does not read ${file}`] : [];
  });

/** One process per container: no PM2 in a pod; pods never migrate, one Job does. */
const oneProcessAndOneMigration: Check = (objects) => {
  const problems = containersOf(objects)
    .filter(({ container }) => /pm2/.test([...(container.command ?? []), ...(container.args ?? [])].join(' ')))
    .map(({ workload }) => `${workload.id}: runs PM2`);
  for (const { id, pod } of deployments(objects)) {
    if (pod.containers.some((container) => plainEnv(objects, container).DB_MIGRATIONS_RUN !== 'false')) {
      problems.push(`${id}: migrates at start (DB_MIGRATIONS_RUN is not false)`);
    }
  }
  const jobs = workloads(objects).filter(
    ({ object, pod }) =>
      object.kind === 'Job' && pod.containers[0].command?.join(' ') === 'node dist/apps/api/src/migrate.js',
  );
  return jobs.length === 1 ? problems : [...problems, `${jobs.length} migrations Jobs`];
};

/** Secrets only the API needs: the admin account it creates at start. */
const API_ONLY_SECRETS = new Set(['ADMIN_EMAIL', 'ADMIN_PASSWORD']);

/** The worker gets every secret the API gets (it sends the emails: SMTP_URL; it writes reports: S3). */
const workerSharesSecrets: Check = (objects) => {
  const keys = (id: string) =>
    new Set(
      workloads(objects)
        .filter((workload) => workload.id === id)
        .flatMap((workload) => workload.pod.containers.flatMap(secretKeyRefs))
        .map((ref) => ref.key),
    );
  const worker = keys('Deployment/commerce-worker');
  return [...keys('Deployment/commerce-api')]
    .filter((key) => !API_ONLY_SECRETS.has(key) && !worker.has(key))
    .map((key) => `Deployment/commerce-worker: no ${key}, which the API gets`);
};

export const MANIFEST_CHECKS: Record<string, Check> = {
  'probes ask public routes the API serves': probesHitRoutes,
  'the API probes readiness and liveness on their routes': apiProbes,
  'container ports are PORT and METRICS_PORT, and metrics listen beyond loopback': portsMatchConfig,
  'the grace period exceeds the preStop pause plus SHUTDOWN_TIMEOUT_MS': gracePeriodCoversDrain,
  'selectors, HPA and PDB targets and named ports resolve': selectorsMatch,
  'pods run as the image user, read-only, bounded': locksDown,
  'every path the app writes is an emptyDir': writablePathsMounted,
  'the worker liveness reads its heartbeat file': heartbeatLiveness,
  'one process per container, migrations only in the Job': oneProcessAndOneMigration,
  'the worker gets the secrets the API gets': workerSharesSecrets,
};
