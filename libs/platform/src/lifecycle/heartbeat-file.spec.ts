import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHeartbeatFile } from './heartbeat-file';

describe('startHeartbeatFile', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'heartbeat-'));
    file = path.join(dir, 'worker-heartbeat');
    jest.useFakeTimers({ now: 1_000 });
  });

  afterEach(() => {
    jest.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the file at once, then again every beat, until stopped', () => {
    const stop = startHeartbeatFile(file, 5_000);
    expect(readFileSync(file, 'utf8')).toBe('1000\n');
    jest.advanceTimersByTime(5_000);
    expect(readFileSync(file, 'utf8')).toBe('6000\n');
    stop();
    jest.advanceTimersByTime(5_000);
    expect(readFileSync(file, 'utf8')).toBe('6000\n');
  });

  it('fails at start when the file cannot be written (a wrong path is a configuration error)', () => {
    expect(() => startHeartbeatFile(path.join(dir, 'missing', 'heartbeat'))).toThrow(/ENOENT/);
  });
});
