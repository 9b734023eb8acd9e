import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { unsupportedNodeMessage } from '@app/platform';
import { runToExit } from '../../support/run-to-exit';

const ROOT = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const REQUIRED = (require('../../../package.json') as { engines: { node: string } }).engines.node;
const CHECK = path.join(ROOT, 'dist/libs/platform/src/node-version/node-version.js');

/** The machine's own Node (Debian's), when it is older than the project needs. */
function olderSystemNode(): string | undefined {
  const candidate = '/usr/bin/node';
  if (!existsSync(candidate)) {
    return undefined;
  }
  const version = execFileSync(candidate, ['-v'], { encoding: 'utf8' }).trim();
  return unsupportedNodeMessage(version, REQUIRED, candidate) ? candidate : undefined;
}

/**
 * An older Node (Node 20 segfaults silently on this code) is refused before anything
 * loads, with one message naming the Node needed and the npm scripts that bring it.
 * Runs the built apps (`npm test` builds them).
 */
describe('an older Node is refused first thing (built apps)', () => {
  const older = olderSystemNode();

  it.each(['api', 'worker'])(
    '%s main: the message and exit 1 under the machine older Node, if it has one',
    async (app) => {
      const main = path.join(ROOT, `dist/apps/${app}/src/main.js`);
      // Without an older Node on this machine, the built check is fed an old version instead
      // (the same function main runs first), so the test never silently proves nothing.
      const [command, args] = older
        ? [older, [main]]
        : [process.execPath, ['-e', `require(${JSON.stringify(CHECK)}).exitUnlessSupportedNode('20.0.0')`]];
      const result = await runToExit(command, args, { env: { PATH: process.env.PATH ?? '' }, cwd: ROOT });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`Node.js ${REQUIRED} is needed`);
      expect(result.stderr).toContain('npm start');
    },
  );

  it("passes the project's own Node (the node devDependency) through without a word", async () => {
    const result = await runToExit(
      process.execPath,
      ['-e', `require(${JSON.stringify(CHECK)}).exitUnlessSupportedNode(); console.log('checked')`],
      { env: { PATH: process.env.PATH ?? '' }, cwd: ROOT },
    );
    expect(result).toEqual({ code: 0, stdout: 'checked\n', stderr: '' });
  });
});
