import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectStartupGarbage } from './collect-startup-garbage';

describe('collectStartupGarbage', () => {
  const global = globalThis as { gc?: (options?: unknown) => void };
  const original = global.gc;
  afterEach(() => {
    global.gc = original;
  });

  it('runs one full collection when V8 exposes gc (--expose-gc, as config.nodeFlags passes)', () => {
    const gc = jest.fn();
    global.gc = gc;
    expect(collectStartupGarbage()).toBe(true);
    expect(gc).toHaveBeenCalledTimes(1);
    // The memory-reducing flavour: a plain gc() keeps the freed pages (measured).
    expect(gc).toHaveBeenCalledWith({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  });

  it('does nothing without --expose-gc', () => {
    delete global.gc;
    expect(collectStartupGarbage()).toBe(false);
  });

  it('has gc to call wherever the apps start, and a young generation it cannot shrink (config.nodeFlags)', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as {
      config: { nodeFlags: string };
    };
    const flags = pkg.config.nodeFlags.split(' ');
    expect(flags).toContain('--expose-gc');
    // The collection shrinks the young generation to its minimum; at 8 MB, it stays the size
    // the maximum allows, so the server is not scavenged more often afterwards.
    const size = (flag: string) => flags.find((one) => one.startsWith(`${flag}=`))?.split('=')[1];
    expect(size('--min-semi-space-size')).toBeDefined();
    expect(size('--min-semi-space-size')).toBe(size('--max-semi-space-size'));
  });
});
