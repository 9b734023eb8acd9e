import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * `kustomize build` for the subset deploy/k8s uses: no kustomize binary exists on these
 * machines and npm has no kustomize package. Every field, generator option and patch
 * shape outside that subset is refused with an error rather than half-rendered, so what
 * the tests check is what `kubectl apply -k` would apply, or the test fails.
 */

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

type Json = Record<string, unknown>;

const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'images',
  'patches',
  'secretGenerator',
  'generatorOptions',
]);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);
/** Lists a strategic merge patch merges element by element, with their merge keys (the rest: refused). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
};

/** kubectl reads manifests as YAML 1.1 (`yes`, `on` are booleans there): so does this. */
function readDocuments(file: string): Json[] {
  return parseAllDocuments(readFileSync(file, 'utf8'), { version: '1.1' })
    .filter((document) => document.contents !== null)
    .map((document) => {
      if (document.errors.length > 0) {
        throw new Error(`${file}: ${document.errors[0].message}`);
      }
      return document.toJS() as Json;
    });
}

function refuseUnknownKeys(where: string, value: Json, allowed: string[]): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new Error(`${where}: ${unknown.join(', ')} not supported by this renderer`);
  }
}

export function renderKustomization(directory: string): K8sObject[] {
  const file = path.join(directory, 'kustomization.yaml');
  const [kustomization, ...more] = readDocuments(file);
  if (more.length > 0) {
    throw new Error(`${file}: one document expected`);
  }
  refuseUnknownKeys(file, kustomization, [...SUPPORTED_FIELDS]);
  if (kustomization.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || kustomization.kind !== 'Kustomization') {
    throw new Error(`${file}: not a kustomize.config.k8s.io/v1beta1 Kustomization`);
  }
  const objects: K8sObject[] = [];
  for (const resource of (kustomization.resources as string[] | undefined) ?? []) {
    const target = path.resolve(directory, resource);
    objects.push(
      ...(statSync(target).isDirectory() ? renderKustomization(target) : (readDocuments(target) as K8sObject[])),
    );
  }
  objects.push(...generateSecrets(file, kustomization));
  for (const entry of (kustomization.patches as Json[] | undefined) ?? []) {
    applyPatch(objects, readPatch(file, directory, entry));
  }
  if (kustomization.namespace !== undefined) {
    setNamespace(objects, kustomization.namespace as string);
  }
  for (const image of (kustomization.images as Json[] | undefined) ?? []) {
    refuseUnknownKeys(`${file} images`, image, ['name', 'newName', 'newTag', 'digest']);
    setImage(objects, image as { name: string; newName?: string; newTag?: string; digest?: string });
  }
  refuseDuplicates(file, objects);
  return objects;
}

/** secretGenerator with literals only, and without the name hash (whose algorithm this does not reproduce). */
function generateSecrets(file: string, kustomization: Json): K8sObject[] {
  const generators = (kustomization.secretGenerator as Json[] | undefined) ?? [];
  const options = (kustomization.generatorOptions as Json | undefined) ?? {};
  refuseUnknownKeys(`${file} generatorOptions`, options, ['disableNameSuffixHash']);
  if (generators.length > 0 && options.disableNameSuffixHash !== true) {
    throw new Error(`${file}: generated names need generatorOptions.disableNameSuffixHash: true here`);
  }
  return generators.map((generator) => {
    refuseUnknownKeys(`${file} secretGenerator`, generator, ['name', 'literals']);
    const data: Record<string, string> = {};
    for (const literal of generator.literals as string[]) {
      const [key, value] = [literal.slice(0, literal.indexOf('=')), literal.slice(literal.indexOf('=') + 1)];
      // kustomize unquotes quoted values: keep to plain ones rather than mimic it.
      if (!key || /^["']/.test(value)) {
        throw new Error(`${file}: literal ${literal} must be KEY=plain value`);
      }
      data[key] = Buffer.from(value).toString('base64');
    }
    return { apiVersion: 'v1', kind: 'Secret', metadata: { name: generator.name as string }, type: 'Opaque', data };
  });
}

function readPatch(file: string, directory: string, entry: Json): K8sObject {
  refuseUnknownKeys(`${file} patches`, entry, ['path']);
  const documents = readDocuments(path.resolve(directory, entry.path as string));
  if (documents.length !== 1) {
    throw new Error(`${file}: patch ${entry.path as string} must hold one strategic merge patch`);
  }
  return documents[0] as K8sObject;
}

/** A strategic merge patch onto the one object of its kind (and API group) and name. */
function applyPatch(objects: K8sObject[], patch: K8sObject): void {
  const group = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
  const targets = objects.filter(
    (object) =>
      object.kind === patch.kind &&
      object.metadata.name === patch.metadata?.name &&
      group(object.apiVersion) === group(patch.apiVersion),
  );
  if (targets.length !== 1) {
    throw new Error(`patch ${patch.kind}/${patch.metadata?.name}: ${targets.length} targets`);
  }
  if (patch.metadata.namespace !== undefined) {
    throw new Error(`patch ${patch.kind}/${patch.metadata.name}: a namespace in a patch is not supported`);
  }
  const merged = mergeObject(targets[0], patch, patch.kind);
  objects.splice(objects.indexOf(targets[0]), 1, merged as K8sObject);
}

function mergeObject(target: Json, patch: Json, where: string): Json {
  const result: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) {
      throw new Error(`${where}: directive ${key} not supported`);
    }
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      result[key] = mergeList(key, (target[key] as Json[] | undefined) ?? [], value as Json[], `${where}.${key}`);
    } else if (typeof value === 'object' && typeof target[key] === 'object' && target[key] !== null) {
      result[key] = mergeObject(target[key] as Json, value as Json, `${where}.${key}`);
    } else {
      result[key] = value;
    }
  }
  return result;
}

function mergeList(field: string, target: Json[], patch: Json[], where: string): Json[] {
  const mergeKey = MERGE_KEYS[field];
  if (!mergeKey) {
    throw new Error(`${where}: a list without a merge key known here (kustomize may replace or merge it)`);
  }
  const result = [...target];
  for (const element of patch) {
    const index = result.findIndex((existing) => existing[mergeKey] === element[mergeKey]);
    if (index === -1) {
      result.push(element);
    } else {
      result[index] = mergeObject(result[index], element, `${where}[${String(element[mergeKey])}]`);
    }
  }
  return result;
}

function setNamespace(objects: K8sObject[], namespace: string): void {
  for (const object of objects) {
    if (object.kind === 'Namespace' && object.metadata.name !== namespace) {
      // kustomize's treatment of a differently named Namespace object has changed between versions.
      throw new Error(`Namespace ${object.metadata.name} differs from the kustomization's namespace ${namespace}`);
    }
    if (!CLUSTER_SCOPED.has(object.kind)) {
      object.metadata = { ...object.metadata, namespace };
    }
  }
}

/** The image name without its tag or digest (a registry's `:port` is part of the name). */
function imageName(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastColon = withoutDigest.lastIndexOf(':');
  return lastColon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, lastColon) : withoutDigest;
}

function setImage(
  objects: K8sObject[],
  image: { name: string; newName?: string; newTag?: string; digest?: string },
): void {
  for (const object of objects) {
    const pod = podSpecOf(object);
    for (const container of [...((pod?.containers as Json[]) ?? []), ...((pod?.initContainers as Json[]) ?? [])]) {
      const current = container.image as string;
      if (imageName(current) !== image.name) {
        continue;
      }
      const tag = current.slice(imageName(current).length);
      const suffix = image.digest ? `@${image.digest}` : image.newTag ? `:${image.newTag}` : tag;
      container.image = `${image.newName ?? image.name}${suffix}`;
    }
  }
}

/** The pod spec of a Deployment or Job (the workload kinds deploy/k8s has). */
export function podSpecOf(object: K8sObject): Json | undefined {
  const spec = object.spec as Json | undefined;
  return (spec?.template as Json | undefined)?.spec as Json | undefined;
}

function refuseDuplicates(file: string, objects: K8sObject[]): void {
  const ids = objects.map((object) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) {
    throw new Error(`${file}: ${duplicate} defined twice`);
  }
}
