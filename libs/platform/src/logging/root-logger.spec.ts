import { logFormat } from './root-logger';

describe('logFormat', () => {
  it('is pretty for a person at a terminal in development (npm start)', () => {
    expect(logFormat('development', true)).toBe('pretty');
  });

  it.each([
    ['development', false],
    ['development', undefined],
    ['production', true],
    ['production', false],
    ['test', true],
  ] as const)('is JSON for NODE_ENV=%s with a TTY: %s', (env, isTTY) => {
    expect(logFormat(env, isTTY)).toBe('json');
  });
});
