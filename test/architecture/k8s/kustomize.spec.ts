import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { podSpecOf, renderKustomization } from './kustomize';

const HEADER = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: registry.local:5000/web:1.0
          ports: [{ name: http, containerPort: 80 }]
          env: [{ name: A, value: "1" }, { name: B, value: "2" }]
        - name: sidecar
          image: proxy:2
`;

let root: string;

/** Writes `files` (path -> text) under a fresh folder and renders `dir` of it. */
function renderFiles(files: Record<string, string>, dir = '.') {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return renderKustomization(path.join(root, dir));
}

const containers = (objects: ReturnType<typeof renderFiles>) =>
  podSpecOf(objects.find((object) => object.kind === 'Deployment')!)!.containers as Array<Record<string, unknown>>;

/**
 * The renderer behind the deploy/k8s specs: what it supports it renders as kustomize
 * does, and anything else is an error, never a silently different result.
 */
describe('kustomize subset renderer', () => {
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'kustomize-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['commonLabels', 'commonLabels:\n  a: b\n', 'commonLabels not supported'],
    [
      'a JSON 6902 or targeted patch',
      'patches:\n  - target: { kind: Deployment }\n    patch: "[]"\n',
      'target, patch not supported',
    ],
    ['a hashed generator name', 'secretGenerator:\n  - name: s\n    literals: [A=1]\n', 'disableNameSuffixHash: true'],
    [
      'a generator from files',
      'secretGenerator:\n  - name: s\n    files: [a.txt]\ngeneratorOptions: { disableNameSuffixHash: true }\n',
      'files not supported',
    ],
    [
      'an image field it does not apply',
      'images:\n  - name: web\n    newTag: "2"\n    tagSuffix: x\n',
      'tagSuffix not supported',
    ],
  ])('refuses %s', (_, fields, message) => {
    expect(() =>
      renderFiles({ 'kustomization.yaml': `${HEADER}resources: [app.yaml]\n${fields}`, 'app.yaml': DEPLOYMENT }),
    ).toThrow(message);
  });

  it.each([
    [
      'a list without a known merge key',
      'spec:\n  template:\n    spec:\n      containers:\n        - name: web\n          ports: [{ name: admin, containerPort: 81 }]\n',
      'a list without a merge key',
    ],
    ['a patch directive', 'spec:\n  $patch: replace\n', 'directive $patch'],
    ['a patch that matches nothing', null, '0 targets'],
  ])('refuses a patch with %s', (_, body, message) => {
    const patch =
      body === null
        ? 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\n'
        : `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n${body}`;
    expect(() =>
      renderFiles({
        'kustomization.yaml': `${HEADER}resources: [app.yaml]\npatches:\n  - path: patch.yaml\n`,
        'app.yaml': DEPLOYMENT,
        'patch.yaml': patch,
      }),
    ).toThrow(message);
  });

  it('merges a strategic merge patch: containers and env by name, maps deep, null deletes', () => {
    const objects = renderFiles({
      'kustomization.yaml': `${HEADER}resources: [app.yaml]\npatches:\n  - path: patch.yaml\n`,
      'app.yaml': DEPLOYMENT,
      'patch.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: web
          env: [{ name: B, value: "20" }, { name: C, value: "3" }]
          ports: null
`,
    });
    expect(containers(objects)).toEqual([
      {
        name: 'web',
        image: 'registry.local:5000/web:1.0',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '20' },
          { name: 'C', value: '3' },
        ],
      },
      { name: 'sidecar', image: 'proxy:2' },
    ]);
    expect((objects[0].spec as { replicas: number }).replicas).toBe(3);
  });

  it('sets images by name (a registry port is part of the name), keeping the tag when only the name changes', () => {
    const objects = renderFiles({
      'kustomization.yaml': `${HEADER}resources: [app.yaml]
images:
  - { name: registry.local:5000/web, newTag: "2.0" }
  - { name: proxy, newName: mirror.example.com/proxy }
`,
      'app.yaml': DEPLOYMENT,
    });
    expect(containers(objects).map((container) => container.image)).toEqual([
      'registry.local:5000/web:2.0',
      'mirror.example.com/proxy:2',
    ]);
  });

  it('applies an overlay over its base: namespace on namespaced objects, generated Secret, image', () => {
    const objects = renderFiles(
      {
        'base/kustomization.yaml': `${HEADER}resources: [app.yaml]\n`,
        'base/app.yaml': DEPLOYMENT,
        'overlay/kustomization.yaml': `${HEADER}namespace: shop
resources: [../base, namespace.yaml]
images: [{ name: proxy, digest: "sha256:abc" }]
secretGenerator: [{ name: keys, literals: ["URL=postgres://u:p@h/db?a=b"] }]
generatorOptions: { disableNameSuffixHash: true }
`,
        'overlay/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
      },
      'overlay',
    );
    expect(objects.map((object) => [object.kind, object.metadata.namespace])).toEqual([
      ['Deployment', 'shop'],
      ['Namespace', undefined],
      ['Secret', 'shop'],
    ]);
    expect(objects[2]).toMatchObject({
      type: 'Opaque',
      data: { URL: Buffer.from('postgres://u:p@h/db?a=b').toString('base64') },
    });
    expect(containers(objects)[1].image).toBe('proxy@sha256:abc');
  });

  it('refuses a Namespace object named unlike the namespace field, and an object defined twice', () => {
    const kustomization = `${HEADER}namespace: shop\nresources: [namespace.yaml]\n`;
    expect(() =>
      renderFiles({
        'kustomization.yaml': kustomization,
        'namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: other }\n',
      }),
    ).toThrow('differs');
    expect(() =>
      renderFiles({
        'kustomization.yaml': `${HEADER}resources: [a.yaml, b.yaml]\n`,
        'a.yaml': DEPLOYMENT,
        'b.yaml': DEPLOYMENT,
      }),
    ).toThrow('Deployment//web defined twice');
  });

  it('reads YAML 1.1 as kubectl does: an unquoted yes is a boolean, not the string a ConfigMap needs', () => {
    const objects = renderFiles({
      'kustomization.yaml': `${HEADER}resources: [config.yaml]\n`,
      'config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { FLAG: yes, QUOTED: "yes" }\n',
    });
    expect(objects[0].data).toEqual({ FLAG: true, QUOTED: 'yes' });
  });
});
