import type { MigrationInterface } from 'typeorm';
import { CreateOutboxAndIdempotency1763900000000 } from './1763900000000-create-outbox-and-idempotency';
import { CreateUsersAndRefreshTokens1764000000000 } from './1764000000000-create-users-and-refresh-tokens';
import { CreateFiles1764100000000 } from './1764100000000-create-files';
import { CreateCatalogInventoryOrders1764200000000 } from './1764200000000-create-catalog-inventory-orders';
import { CreateBilling1764300000000 } from './1764300000000-create-billing';
import { CreateReports1764400000000 } from './1764400000000-create-reports';
import { OrderIdempotencyAndClaimLease1764500000000 } from './1764500000000-order-idempotency-and-claim-lease';
import { SubscriptionVersionAndLastChange1764650000000 } from './1764650000000-subscription-version-and-last-change';
import { CreateJobRuns1764800000000 } from './1764800000000-create-job-runs';
import { EmailVerificationAndAccountTokens1764900000000 } from './1764900000000-email-verification-and-account-tokens';
import { CreateTwoFactor1764950000000 } from './1764950000000-create-two-factor';
import { OutboxTraceparent1765040000000 } from './1765040000000-outbox-traceparent';

/**
 * Every migration, in the order it must run. Migrations live here, in one place,
 * because the schema is one database; the entities live with their features.
 */
export const migrations: Array<new () => MigrationInterface> = [
  CreateOutboxAndIdempotency1763900000000,
  CreateUsersAndRefreshTokens1764000000000,
  CreateFiles1764100000000,
  CreateCatalogInventoryOrders1764200000000,
  CreateBilling1764300000000,
  CreateReports1764400000000,
  OrderIdempotencyAndClaimLease1764500000000,
  SubscriptionVersionAndLastChange1764650000000,
  CreateJobRuns1764800000000,
  EmailVerificationAndAccountTokens1764900000000,
  CreateTwoFactor1764950000000,
  OutboxTraceparent1765040000000,
];
