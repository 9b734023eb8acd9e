import { ROOT_LOGGER, shouldSeedDemoData } from '@app/platform';
import { UserAccounts } from '@app/users';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { authConfig } from './auth.config';
import { PasswordHasher } from './password-hasher';
import { PasswordOwner, PasswordPolicy } from './password-policy';

/** Their passwords pass the password policy like any other (not built on the email or name). */
export const DEMO_ACCOUNTS = [
  { email: 'admin@demo.local', password: 'violet-harbor-engine-tulip', name: 'Demo Admin', roles: ['admin'] as const },
  {
    email: 'customer@demo.local',
    password: 'amber-quilt-otter-meadow',
    name: 'Demo Customer',
    roles: ['customer'] as const,
  },
];

const ADMIN_NAME = 'Administrator';

/**
 * On start: creates the admin named by ADMIN_EMAIL / ADMIN_PASSWORD when set, and in
 * the embedded-database demo of `npm start` a demo admin and customer, printing
 * their credentials once (when created). Idempotent: existing accounts are left alone.
 * An ADMIN_PASSWORD that fails the password policy stops the start, whether or not
 * the account exists yet: a weak configured secret is an error to fix, not to skip.
 */
@Injectable()
export class AccountBootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly users: UserAccounts,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.admin) {
      const { email, password } = this.config.admin;
      const created = await this.ensure({ email, password, name: ADMIN_NAME, roles: ['admin'] }, 'ADMIN_PASSWORD');
      if (created) {
        this.logger.info({ email: this.config.admin.email }, 'created the admin account from ADMIN_EMAIL');
      }
    }
    if (shouldSeedDemoData()) {
      for (const account of DEMO_ACCOUNTS) {
        if (await this.ensure({ ...account, roles: [...account.roles] }, `the demo password of ${account.email}`)) {
          this.logger.info(`demo ${account.roles[0]} account: ${account.email} / ${account.password}`);
        }
      }
    }
  }

  private async assertStrong(password: string, owner: PasswordOwner, what: string): Promise<void> {
    const verdict = await this.policy.evaluate(password, owner);
    if (!verdict.strong) {
      throw new Error(`Invalid auth configuration: ${what} is too weak: ${verdict.reasons.join(' ')}`);
    }
  }

  /**
   * Creates the account unless it exists. The password's strength is checked only then,
   * when it is about to be used: checking it on every start would wake the strength
   * checker's worker (and its ~65 MB of dictionaries) at each boot for nothing.
   */
  private async ensure(
    account: { email: string; password: string; name: string; roles: Array<'admin' | 'customer'> },
    what: string,
  ): Promise<boolean> {
    const { email, password, name, roles } = account;
    if (await this.users.findByEmail(email)) {
      return false;
    }
    await this.assertStrong(password, { email, name }, what);
    const created = await this.users.create({
      id: uuidv7(),
      email,
      name,
      passwordHash: await this.hasher.hash(password),
      roles,
    });
    return created !== null;
  }
}
