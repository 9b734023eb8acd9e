import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** The CLI that `npm run lint` runs (dependency-cruiser is ESM-only: jest's CommonJS runtime cannot import its API). */
const DEPCRUISE_BIN = path.join(REPO_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

export interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Runs the project's `.dependency-cruiser.js` over `apps` and `libs` of `root`, as `npm run lint` does; returns every violation. */
export async function cruise(root: string): Promise<Violation[]> {
  const output = path.join(root, '.depcruise-result.json');
  const { code, stderr } = await run(
    process.execPath,
    [
      DEPCRUISE_BIN,
      '--config',
      '.dependency-cruiser.js',
      '--output-type',
      'json',
      '--output-to',
      output,
      'apps',
      'libs',
    ],
    root,
  );
  let result: { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
  try {
    result = JSON.parse(readFileSync(output, 'utf8')) as typeof result;
  } catch {
    throw new Error(`dependency-cruiser wrote no result (exit ${code}): ${stderr}`);
  }
  return result.summary.violations.map((violation) => ({
    rule: violation.rule.name,
    from: violation.from,
    to: violation.to,
  }));
}

/**
 * A copy of what lint reads (apps, libs, the TypeScript and dependency-cruiser configs),
 * in a temp folder, with node_modules linked: a place to inject violations.
 */
export function copyOfTheTree(): { root: string; remove(): void } {
  const root = mkdtempSync(path.join(tmpdir(), 'layering-rules-'));
  for (const entry of ['apps', 'libs', 'tsconfig.json', 'package.json', '.dependency-cruiser.js']) {
    cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  }
  symlinkSync(realpathSync(path.join(REPO_ROOT, 'node_modules')), path.join(root, 'node_modules'));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
