import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../dependency-cruise';
import {
  documentationProblems,
  documentedVariables,
  environmentProblems,
  secretExampleProblems,
} from './environment-checks';
import { findObject, workloads, type Container } from './k8s-objects';
import { renderKustomization, type K8sObject } from './kustomize';
import { MANIFEST_CHECKS } from './manifest-checks';
import { repositoryFacts } from './repository-facts';
import { schemaProblems } from './schema-validation';

const K8S = path.join(REPO_ROOT, 'deploy/k8s');
const render = (overlay: string) => renderKustomization(path.join(K8S, overlay));
const facts = repositoryFacts();
const documented = documentedVariables(readFileSync(path.join(REPO_ROOT, 'docs/configuration.md'), 'utf8'));
const secretExample = readFileSync(path.join(K8S, 'prod/secret.example.env'), 'utf8');

/** Every problem any check finds: what the mutation tests expect to grow by one line. */
async function allProblems(objects: K8sObject[]): Promise<string[]> {
  return [
    ...(await schemaProblems(objects)),
    ...Object.values(MANIFEST_CHECKS).flatMap((check) => check(objects, facts)),
    ...environmentProblems(objects),
    ...documentationProblems(objects, documented),
  ];
}

describe.each(['base', 'dev', 'prod'])('deploy/k8s/%s', (overlay) => {
  const objects = render(overlay);

  it('is valid against the Kubernetes schemas, object by object', async () => {
    expect(await schemaProblems(objects)).toEqual([]);
  });

  it.each(Object.entries(MANIFEST_CHECKS))('%s', (_, check) => {
    expect(check(objects, facts)).toEqual([]);
  });

  it('gives every pod an environment that passes the production guard and every config schema it reads', () => {
    expect(environmentProblems(objects)).toEqual([]);
  });

  it('names every variable of docs/configuration.md (but the ones with a reason not to) and no other', () => {
    expect(documentationProblems(objects, documented)).toEqual([]);
  });
});

describe('the overlays', () => {
  const dev = render('dev');
  const prod = render('prod');
  const images = (objects: K8sObject[]) =>
    new Set(workloads(objects).flatMap((w) => w.pod.containers.map((c) => c.image)));

  it('prod: production mode, the released image, a ServiceMonitor, and no Secret in the repository', () => {
    expect(findObject(prod, 'ConfigMap', 'commerce-api-config')?.data).toMatchObject({ NODE_ENV: 'production' });
    expect(images(prod)).toEqual(new Set(['registry.example.com/commerce-api:1.0.0']));
    expect(findObject(prod, 'ServiceMonitor', 'commerce-api')).toBeDefined();
    expect(prod.filter((object) => object.kind === 'Secret')).toEqual([]);
    expect(new Set(prod.map((object) => object.metadata.namespace))).toEqual(new Set(['commerce']));
  });

  it('prod: secret.example.env lists every secret key the pods reference, required ones set', () => {
    expect(secretExampleProblems(prod, secretExample)).toEqual([]);
  });

  it('dev: development mode, the dev image, and the Secret generated in its namespace', () => {
    expect(findObject(dev, 'ConfigMap', 'commerce-api-config')?.data).toMatchObject({ NODE_ENV: 'development' });
    expect(images(dev)).toEqual(new Set(['commerce-api:dev']));
    expect(findObject(dev, 'Secret', 'commerce-api-secrets')?.metadata.namespace).toBe('commerce-dev');
  });
});

const apiContainer = (objects: K8sObject[]): Container =>
  workloads(objects).find((w) => w.id === 'Deployment/commerce-api')!.pod.containers[0];
const workerContainer = (objects: K8sObject[]): Container =>
  workloads(objects).find((w) => w.id === 'Deployment/commerce-worker')!.pod.containers[0];
const config = (objects: K8sObject[]) =>
  findObject(objects, 'ConfigMap', 'commerce-api-config')!.data as Record<string, string>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mutations below reach into any field
const spec = (objects: K8sObject[], kind: string, name: string) => findObject(objects, kind, name)!.spec as any;
const dropEnv = (container: Container, name: string) => (container.env = container.env!.filter((v) => v.name !== name));

/** Each check reports a broken prod rendering (a fresh one each time), with the problem named. */
describe('the checks catch what they are for', () => {
  it('the unbroken prod rendering has no problem at all', async () => {
    expect(await allProblems(render('prod'))).toEqual([]);
  });

  it.each<[string, (objects: K8sObject[]) => void, string]>([
    [
      'a container without its required name',
      (o) => delete (apiContainer(o) as Partial<Container>).name,
      'Deployment/commerce-api: data/spec/template/spec/containers/0 must have required property name',
    ],
    [
      'a count written as a string',
      (o) => (spec(o, 'Deployment', 'commerce-worker').replicas = '3'),
      'Deployment/commerce-worker: data/spec/replicas must be integer',
    ],
    [
      'a ServiceMonitor interval that is no duration',
      (o) => (spec(o, 'ServiceMonitor', 'commerce-api').endpoints[0].interval = '30 seconds'),
      'not a duration',
    ],
    [
      'a probe on a route the API lacks',
      (o) => (apiContainer(o).readinessProbe!.httpGet!.path = '/healthz'),
      'no public GET route /healthz',
    ],
    [
      'liveness on the readiness route',
      (o) => (apiContainer(o).livenessProbe!.httpGet!.path = '/health/ready'),
      'liveness not /health/live',
    ],
    [
      'a probe on a port the container lacks',
      (o) => (apiContainer(o).startupProbe!.httpGet!.port = 'web'),
      'port web not on the container',
    ],
    ['a container port other than PORT', (o) => (apiContainer(o).ports![0].containerPort = 8080), 'port http is 8080'],
    ['metrics on loopback', (o) => (config(o).METRICS_HOST = '127.0.0.1'), 'unreachable from Prometheus'],
    [
      'a grace period shorter than the drain',
      (o) => (spec(o, 'Deployment', 'commerce-api').template.spec.terminationGracePeriodSeconds = 15),
      'does not exceed preStop + drain 15000 ms',
    ],
    [
      'a drain budget above the grace period',
      (o) => (config(o).SHUTDOWN_TIMEOUT_MS = '40000'),
      'does not exceed preStop + drain',
    ],
    [
      'a Deployment selector missing its pods',
      (o) => (spec(o, 'Deployment', 'commerce-api').selector.matchLabels['app.kubernetes.io/component'] = 'web'),
      'selector misses its pods',
    ],
    [
      'a Service selecting no pods',
      (o) => (spec(o, 'Service', 'commerce-api').selector['app.kubernetes.io/component'] = 'web'),
      'Service/commerce-api: selects no pods',
    ],
    [
      'a Service port no pod has',
      (o) => (spec(o, 'Service', 'commerce-api').ports[0].targetPort = 'web'),
      'targetPort web on no selected pod',
    ],
    [
      'a PDB over both Deployments',
      (o) => delete spec(o, 'PodDisruptionBudget', 'commerce-api').selector.matchLabels['app.kubernetes.io/component'],
      'not select exactly one Deployment',
    ],
    [
      'an HPA on a missing Deployment',
      (o) => (spec(o, 'HorizontalPodAutoscaler', 'commerce-api').scaleTargetRef.name = 'commerce'),
      'scale target Deployment/commerce not found',
    ],
    [
      'an HPA over pods that request no CPU',
      (o) => delete apiContainer(o).resources!.requests!.cpu,
      'target containers request no CPU',
    ],
    [
      'a NetworkPolicy selecting no pods',
      (o) => (spec(o, 'NetworkPolicy', 'commerce-egress').podSelector.matchLabels['app.kubernetes.io/name'] = 'shop'),
      'NetworkPolicy/commerce-egress: selects no pods',
    ],
    [
      'a ServiceMonitor port the Service lacks',
      (o) => (spec(o, 'ServiceMonitor', 'commerce-api').endpoints[0].port = 'http'),
      'no Service port http',
    ],
    [
      'root',
      (o) => (spec(o, 'Job', 'commerce-migrations').template.spec.securityContext.runAsUser = 0),
      'runs as uid 0',
    ],
    [
      'a writable root filesystem',
      (o) => (workerContainer(o).securityContext!.readOnlyRootFilesystem = false),
      'root filesystem writable',
    ],
    ['no memory limit', (o) => delete workerContainer(o).resources!.limits!.memory, 'no memory limits'],
    [
      'the heartbeat file on the read-only root',
      (o) => (workerContainer(o).volumeMounts = workerContainer(o).volumeMounts!.filter((m) => m.mountPath !== '/tmp')),
      'writes /tmp/worker-heartbeat, on no emptyDir',
    ],
    ['MAIL_DIR outside the emptyDir', (o) => (config(o).MAIL_DIR = '/var/mail'), 'writes /var/mail, on no emptyDir'],
    [
      'a liveness probe reading another file',
      (o) => (workerContainer(o).env![0].value = '/tmp/beat'),
      'liveness does not read /tmp/beat',
    ],
    ['PM2 in a pod', (o) => (workerContainer(o).command = ['pm2-runtime', 'ecosystem.config.js']), 'runs PM2'],
    ['pods migrating at start', (o) => (config(o).DB_MIGRATIONS_RUN = 'true'), 'migrates at start'],
    ['JWT_SECRET not given to the API', (o) => dropEnv(apiContainer(o), 'JWT_SECRET'), 'JWT_SECRET is required'],
    [
      'SMTP_URL not given to the worker',
      (o) => dropEnv(workerContainer(o), 'SMTP_URL'),
      'Deployment/commerce-worker: no SMTP_URL, which the API gets',
    ],
    [
      'REDIS_URL not given to the worker',
      (o) => dropEnv(workerContainer(o), 'REDIS_URL'),
      'Deployment/commerce-worker: REDIS_URL unset',
    ],
    ['a value a config schema refuses', (o) => (config(o).S3_ENDPOINT = ''), 'S3_ENDPOINT'],
    [
      'a variable the docs do not list',
      (o) => (config(o).CACHE_SIZE = '10'),
      'CACHE_SIZE is not in docs/configuration.md',
    ],
    [
      'a documented variable left out',
      (o) => delete config(o).SMTP_TIMEOUT_MS,
      'SMTP_TIMEOUT_MS is documented but no pod sets',
    ],
  ])('%s', async (_, breakIt, message) => {
    const objects = render('prod');
    breakIt(objects);
    const problems = await allProblems(objects);
    expect(problems.join('\n')).toContain(message);
  });

  it('a secret key the example file does not list', () => {
    expect(secretExampleProblems(render('prod'), secretExample.replace('# SMTP_URL=', '# MAIL_URL='))).toEqual([
      'SMTP_URL (optional) is not listed so in secret.example.env',
      'SMTP_URL (optional) is not listed so in secret.example.env',
    ]);
  });

  it('a required key the generated dev Secret lacks', () => {
    const dev = render('dev');
    delete (findObject(dev, 'Secret', 'commerce-api-secrets')!.data as Record<string, string>).AMQP_URL;
    expect(environmentProblems(dev).join('\n')).toContain(
      'required secret key commerce-api-secrets/AMQP_URL has no value',
    );
  });
});
