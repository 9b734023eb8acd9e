import { createHash } from 'node:crypto';
import { clientAddressKey, REDIS_CLIENT, RedisClient, redisConfig, ROOT_LOGGER, withTimeout } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Logger } from 'pino';
import { authConfig } from '../auth.config';
import { FailureMemoryStore } from './failure-memory-store';

/**
 * One atomic round trip. KEYS[1] counts the attempts of one client address on one
 * account, KEYS[2] those of every address on the account. An address is refused once
 * it has used its allowance: ARGV[2] attempts, or ARGV[4] while the account as a whole
 * is over its ceiling ARGV[3]. Otherwise the attempt is counted on both *before* the
 * password is checked, so concurrent guesses on any number of workers cannot overrun
 * the limit; a correct password takes its attempt back (SETTLE_SCRIPT).
 */
const RESERVE_SCRIPT = `
local pair = tonumber(redis.call('GET', KEYS[1]) or '0')
local account = tonumber(redis.call('GET', KEYS[2]) or '0')
local allowance = tonumber(ARGV[2])
if account >= tonumber(ARGV[3]) then allowance = tonumber(ARGV[4]) end
if pair >= allowance then return {0, redis.call('PTTL', KEYS[1]), account} end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
account = redis.call('INCR', KEYS[2])
if account == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
return {1, 0, account}
`;

/** ARGV[1] 'success': the address starts afresh; 'abandon': the attempt is uncounted. */
const SETTLE_SCRIPT = `
if ARGV[1] == 'success' then redis.call('DEL', KEYS[1]) elseif tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1
`;

/** What an address may still try on an account whose ceiling has been reached. */
const ALLOWANCE_UNDER_ATTACK = 1;

/** `mfa`: wrong TOTP or recovery codes, counted per user id (login's second step, enable, disable). */
export type FailureScope = 'login' | 'password-change' | 'mfa' | 'account-token';

/** Requests that send the account an email: each one counts, none is taken back. */
export type EmailRequestScope = 'verification-email' | 'password-reset';

interface Limits {
  failuresPerClient: number;
  failuresPerAccount: number;
  windowMs: number;
}

export type AttemptOutcome = { kind: 'verified' } | { kind: 'wrong' } | { kind: 'blocked'; retryAfterSeconds: number };

interface Keys {
  pair: string;
  account: string;
}

/**
 * Throttles password guessing per (account, client address), so a stranger's failures
 * never lock the owner out, with a per-account ceiling against guessing spread over
 * many addresses (see docs/decisions.md, "Login throttling"). Counts live in Redis,
 * exact across workers; without Redis, or while it fails, in this process.
 */
@Injectable()
export class CredentialFailureThrottle {
  private readonly memory = new FailureMemoryStore();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(redisConfig.KEY) private readonly redisSettings: ConfigType<typeof redisConfig>,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Runs `verify` (the password check) unless this address is throttled on this
   * account. A wrong password stays counted; a right one clears the address's count;
   * an error thrown by `verify` (a dependency failing) is not held against anyone.
   */
  async attempt(
    scope: FailureScope,
    account: string,
    clientIp: string,
    verify: () => Promise<boolean>,
  ): Promise<AttemptOutcome> {
    const keys = this.keys(scope, account, clientIp);
    const reservation = await this.reserve(keys);
    if (!reservation.allowed) {
      return { kind: 'blocked', retryAfterSeconds: Math.max(1, Math.ceil(reservation.retryAfterMs / 1000)) };
    }
    let verified: boolean;
    try {
      verified = await verify();
    } catch (error) {
      await this.settle(keys, 'abandon');
      throw error;
    }
    if (verified) {
      await this.settle(keys, 'success');
      return { kind: 'verified' };
    }
    if (reservation.accountCount === this.config.throttle.failuresPerAccount) {
      this.logger.warn(
        { scope, account: hashOf(account) },
        'failed password attempts on one account reached its ceiling; each address now gets one attempt',
      );
    }
    return { kind: 'wrong' };
  }

  /**
   * Counts a request that mails the account (a verification resend, a password reset)
   * with the same per-(account, address) and per-account counters as failed passwords,
   * under ACCOUNT_EMAILS_* limits: nobody can flood an inbox, and a stranger's requests
   * from elsewhere never use up the owner's allowance. The account need not exist.
   */
  async countEmailRequest(
    scope: EmailRequestScope,
    account: string,
    clientIp: string,
  ): Promise<{ kind: 'allowed' } | { kind: 'blocked'; retryAfterSeconds: number }> {
    const { perClient, perAccount, windowMs } = this.config.accountEmails;
    const reservation = await this.reserve(this.keys(scope, account, clientIp), {
      failuresPerClient: perClient,
      failuresPerAccount: perAccount,
      windowMs,
    });
    return reservation.allowed
      ? { kind: 'allowed' }
      : { kind: 'blocked', retryAfterSeconds: Math.max(1, Math.ceil(reservation.retryAfterMs / 1000)) };
  }

  private async reserve(
    keys: Keys,
    limits: Limits = this.config.throttle,
  ): Promise<{ allowed: boolean; retryAfterMs: number; accountCount: number }> {
    const { failuresPerClient, failuresPerAccount, windowMs } = limits;
    const reply = await this.redisCall<[number, number, number]>('credential failure count', (redis) =>
      redis.eval(RESERVE_SCRIPT, {
        keys: [keys.pair, keys.account],
        arguments: [
          String(windowMs),
          String(failuresPerClient),
          String(failuresPerAccount),
          String(ALLOWANCE_UNDER_ATTACK),
        ],
      }),
    );
    if (reply) {
      const [allowed, ttlMs, accountCount] = reply.map(Number);
      return { allowed: allowed === 1, retryAfterMs: ttlMs, accountCount };
    }
    return this.memory.reserve(keys.pair, keys.account, windowMs, (accountCount) =>
      accountCount >= failuresPerAccount ? ALLOWANCE_UNDER_ATTACK : failuresPerClient,
    );
  }

  private async settle(keys: Keys, how: 'success' | 'abandon'): Promise<void> {
    const done = await this.redisCall('credential failure settle', (redis) =>
      redis.eval(SETTLE_SCRIPT, { keys: [keys.pair, keys.account], arguments: [how] }),
    );
    if (done === undefined) {
      if (how === 'success') {
        this.memory.delete(keys.pair);
      } else {
        this.memory.uncount(keys.pair);
      }
      this.memory.uncount(keys.account);
    }
  }

  /** The reply, or undefined when Redis is absent or failing (count in memory instead). */
  private async redisCall<T>(what: string, call: (redis: RedisClient) => Promise<unknown>): Promise<T | undefined> {
    if (!this.redis?.isReady) {
      return undefined;
    }
    try {
      return (await withTimeout(call(this.redis), this.redisSettings.commandTimeoutMs, what)) as T;
    } catch {
      return undefined;
    }
  }

  /**
   * Both keys share a hash tag, so the script also runs on a Redis Cluster. The
   * account is hashed: keys carry no email address.
   */
  private keys(scope: FailureScope | EmailRequestScope, account: string, clientIp: string): Keys {
    const base = `${this.redisSettings.keyPrefix}:auth-failures:{${scope}:${hashOf(account.toLowerCase())}}`;
    return { pair: `${base}:client:${clientAddressKey(clientIp)}`, account: `${base}:all` };
  }
}

function hashOf(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22);
}
