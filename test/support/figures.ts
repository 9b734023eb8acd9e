import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '../output/resilience');

/**
 * Keeps what a fault test measured (requests during the fault, failures, recovery
 * time) in test/output/resilience/<name>.json, so a run's figures can be reported
 * without timing assertions in the tests themselves.
 */
export function recordFigures(name: string, figures: Record<string, unknown>): void {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(path.join(DIR, `${name}.json`), JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2));
}
