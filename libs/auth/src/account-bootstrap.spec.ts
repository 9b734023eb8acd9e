import type { UserAccounts } from '@app/users';
import type { ConfigType } from '@nestjs/config';
import type { Logger } from 'pino';
import { AccountBootstrap } from './account-bootstrap';
import type { authConfig } from './auth.config';
import type { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';

describe('AccountBootstrap (repository substituted)', () => {
  const policy = new PasswordPolicy();
  const users = {
    findByEmail: jest.fn((): Promise<object | null> => Promise.resolve(null)),
    create: jest.fn(() => Promise.resolve({ id: 'u' })),
  };
  const hasher = { hash: jest.fn(() => Promise.resolve('hashed')) };
  const logger = { info: jest.fn() };
  const bootstrap = (password: string) =>
    new AccountBootstrap(
      users as unknown as UserAccounts,
      hasher as unknown as PasswordHasher,
      policy,
      { admin: { email: 'ops@shop.example', password } } as ConfigType<typeof authConfig>,
      logger as unknown as Logger,
    );

  afterAll(() => policy.onApplicationShutdown());
  beforeEach(() => jest.clearAllMocks());

  it.each(['password1234', 'ops@shop.example', 'administrator-2026'])(
    'refuses to start with a weak ADMIN_PASSWORD (%s), naming the variable',
    async (password) => {
      await expect(bootstrap(password).onApplicationBootstrap()).rejects.toThrow(
        /^Invalid auth configuration: ADMIN_PASSWORD is too weak: \S/,
      );
      expect(users.create).not.toHaveBeenCalled();
    },
  );

  it('creates the admin from a strong ADMIN_PASSWORD', async () => {
    await bootstrap('lichen-sprocket-ferry-58').onApplicationBootstrap();
    expect(users.create).toHaveBeenCalledWith(expect.objectContaining({ email: 'ops@shop.example', roles: ['admin'] }));
  });

  it('leaves an existing admin alone without waking the strength checker (it is only asked before creating)', async () => {
    users.findByEmail.mockResolvedValueOnce({ id: 'existing' });
    const evaluate = jest.spyOn(policy, 'evaluate');
    await bootstrap('password1234').onApplicationBootstrap();
    expect(evaluate).not.toHaveBeenCalled();
    expect(users.create).not.toHaveBeenCalled();
    evaluate.mockRestore();
  });
});
