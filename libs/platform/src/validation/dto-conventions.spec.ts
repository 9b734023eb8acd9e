import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const LIBS = path.resolve(__dirname, '../../..');

/** Every DTO file of every feature (libs/<feature>/src/dto/**). */
function dtoFiles(): string[] {
  return readdirSync(LIBS).flatMap((feature) => {
    const dir = path.join(LIBS, feature, 'src', 'dto');
    try {
      return readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
        .map((name) => path.join(dir, name));
    } catch {
      return [];
    }
  });
}

/**
 * Ids and dates are parsed once, by the platform's decorators, for every feature: a bare
 * `@IsUUID()` lets an upper-case id through un-normalized (another cache entry, a
 * lookup by the wrong key), and `@Type(() => Date) @IsDate()` accepts `1`,
 * `Dec 5 2026` and years PostgreSQL cannot store.
 */
describe('DTO conventions', () => {
  const files = dtoFiles();

  it('finds the DTOs', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each([
    ['@IsUUID(', 'use @IsId() from @app/platform (lower-cases the id)'],
    ['@IsDate(', 'use @IsTimestamp() from @app/platform (RFC 3339, 1970..9999)'],
    ['=> Date)', 'use @IsTimestamp() from @app/platform (RFC 3339, 1970..9999)'],
  ])('no DTO uses %s: %s', (pattern) => {
    const offenders = files
      .filter((file) => readFileSync(file, 'utf8').includes(pattern))
      .map((file) => path.relative(LIBS, file));
    expect(offenders).toEqual([]);
  });
});
