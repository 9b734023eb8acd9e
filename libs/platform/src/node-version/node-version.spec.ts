import path from 'node:path';
import { requiredNodeRange, unsupportedNodeMessage } from './node-version';

describe('unsupportedNodeMessage', () => {
  it.each([
    ['24.21.0', '>=22'],
    ['22.0.0', '>=22'],
    ['v22.12.0', '>=22.12'],
    ['23.0.0', '>=22.12.1'],
  ])('accepts Node %s for %s', (version, range) => {
    expect(unsupportedNodeMessage(version, range, '/usr/bin/node')).toBeUndefined();
  });

  it.each([
    ['20.20.2', '>=22'],
    ['v21.9.9', '>=22'],
    ['22.11.0', '>=22.12'],
    ['22.12.0', '>=22.12.1'],
  ])('refuses Node %s for %s', (version, range) => {
    expect(unsupportedNodeMessage(version, range, '/usr/bin/node')).toBeDefined();
  });

  it('names the version needed, the one running, and the npm scripts that bring Node 24', () => {
    const message = unsupportedNodeMessage('20.20.2', '>=22', '/usr/bin/node') ?? '';
    expect(message).toContain('Node.js >=22 is needed');
    expect(message).toContain('v20.20.2 (/usr/bin/node)');
    expect(message).toContain('npm start');
    expect(message).toContain('node_modules/.bin/node');
    expect(message).not.toContain('\n');
  });

  it('checks nothing it cannot read (no engines, or a range other than >=)', () => {
    expect(unsupportedNodeMessage('20.0.0', undefined, 'node')).toBeUndefined();
    expect(unsupportedNodeMessage('20.0.0', '^22 || ^24', 'node')).toBeUndefined();
  });
});

describe('requiredNodeRange', () => {
  it("reads the project's package.json engines", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const manifest = require('../../../../package.json') as { engines: { node: string } };
    expect(requiredNodeRange(__dirname)).toBe(manifest.engines.node);
  });

  it('finds nothing above a folder with no package.json', () => {
    expect(requiredNodeRange(path.parse(__dirname).root)).toBeUndefined();
  });
});
