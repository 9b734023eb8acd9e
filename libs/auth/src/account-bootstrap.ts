import { ROOT_LOGGER, shouldSeedDemoData } from '@app/platform';
import { UserRepository } from '@app/users';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { authConfig } from './auth.config';
import { PasswordHasher } from './password-hasher';

export const DEMO_ACCOUNTS = [
  { email: 'admin@demo.local', password: 'demo-admin-password', name: 'Demo Admin', roles: ['admin'] as const },
  { email: 'customer@demo.local', password: 'demo-customer-password', name: 'Demo Customer', roles: ['customer'] as const },
];

/**
 * On start: creates the admin named by ADMIN_EMAIL / ADMIN_PASSWORD when set, and in
 * the embedded-database demo of `npm start` a demo admin and customer, printing
 * their credentials once (when created). Idempotent: existing accounts are left alone.
 */
@Injectable()
export class AccountBootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.admin) {
      const created = await this.ensure(this.config.admin.email, this.config.admin.password, 'Administrator', ['admin']);
      if (created) {
        this.logger.info({ email: this.config.admin.email }, 'created the admin account from ADMIN_EMAIL');
      }
    }
    if (shouldSeedDemoData()) {
      for (const account of DEMO_ACCOUNTS) {
        if (await this.ensure(account.email, account.password, account.name, [...account.roles])) {
          this.logger.info(`demo ${account.roles[0]} account: ${account.email} / ${account.password}`);
        }
      }
    }
  }

  private async ensure(email: string, password: string, name: string, roles: Array<'admin' | 'customer'>): Promise<boolean> {
    if (await this.users.findByEmail(email)) {
      return false;
    }
    const created = await this.users.create({ id: uuidv7(), email, name, passwordHash: await this.hasher.hash(password), roles });
    return created !== null;
  }
}
