import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * An older Node does not fail cleanly on this code: Node 20 ends in a silent
 * segfault while loading it. Both apps check the version first, before anything else
 * is loaded, and say what to run instead. Only `>=X[.Y[.Z]]` ranges are understood
 * (the form package.json's engines uses); anything else is not checked.
 */
export function unsupportedNodeMessage(
  version: string,
  range: string | undefined,
  execPath: string,
): string | undefined {
  const minimum = /^\s*>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range ?? '');
  if (!minimum) {
    return undefined;
  }
  const wanted = minimum.slice(1, 4).map((part) => Number(part ?? 0));
  const actual = version.replace(/^v/, '').split('.').map(Number);
  for (let index = 0; index < 3; index++) {
    const difference = (actual[index] ?? 0) - (wanted[index] ?? 0);
    if (difference !== 0) {
      return difference > 0 ? undefined : explain(version, range ?? '', execPath);
    }
  }
  return undefined;
}

function explain(version: string, range: string, execPath: string): string {
  return (
    `Node.js ${range.trim()} is needed (package.json "engines"), but this is Node.js v${version.replace(/^v/, '')} (${execPath}). ` +
    'The npm scripts bring their own Node 24 (the "node" devDependency, node_modules/.bin/node): ' +
    'run `npm start` or `npm run start:worker`, or `node_modules/.bin/node dist/apps/api/src/main.js`.'
  );
}

/** package.json's engines.node, found upwards from this file (in src/ or dist/). */
export function requiredNodeRange(from: string = __dirname): string | undefined {
  for (let folder = from; ; folder = path.dirname(folder)) {
    const file = path.join(folder, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { engines?: { node?: string } };
      if (manifest.engines?.node) {
        return manifest.engines.node;
      }
    }
    if (path.dirname(folder) === folder) {
      return undefined;
    }
  }
}

/** Prints the message and exits 1 when this Node is too old. */
export function exitUnlessSupportedNode(version: string = process.versions.node): void {
  const message = unsupportedNodeMessage(version, requiredNodeRange(), process.execPath);
  if (message) {
    console.error(message);
    process.exit(1);
  }
}
