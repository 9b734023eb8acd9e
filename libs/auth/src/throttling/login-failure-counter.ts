import { REDIS_CLIENT, RedisClient, redisConfig, withTimeout } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { authConfig } from '../auth.config';

const RECORD_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
`;

/**
 * Failed logins per email, whatever the caller's IP: after N failures within the
 * window, that email is refused until the window ends, on every worker (Redis), or
 * per process when Redis is absent or failing. A successful login clears the count.
 */
@Injectable()
export class LoginFailureCounter {
  private readonly memory = new Map<string, { count: number; expiresAt: number }>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(redisConfig.KEY) private readonly redisSettings: ConfigType<typeof redisConfig>,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  /** Seconds until this email may try again; 0 when it may try now. */
  async blockedForSeconds(email: string): Promise<number> {
    const { count, ttlMs } = await this.read(email);
    return count >= this.config.throttle.loginFailuresPerEmail ? Math.ceil(ttlMs / 1000) : 0;
  }

  async recordFailure(email: string): Promise<void> {
    const key = this.key(email);
    const windowMs = this.config.throttle.loginFailureWindowMs;
    if (this.redis?.isReady) {
      try {
        await withTimeout(
          this.redis.eval(RECORD_SCRIPT, { keys: [key], arguments: [String(windowMs)] }),
          this.redisSettings.commandTimeoutMs,
          'login failure count',
        );
        return;
      } catch {
        // Count in memory instead.
      }
    }
    const now = Date.now();
    const entry = this.memory.get(key);
    if (!entry || entry.expiresAt <= now) {
      this.memory.set(key, { count: 1, expiresAt: now + windowMs });
    } else {
      entry.count++;
    }
  }

  async reset(email: string): Promise<void> {
    const key = this.key(email);
    this.memory.delete(key);
    if (this.redis?.isReady) {
      await withTimeout(this.redis.del(key), this.redisSettings.commandTimeoutMs, 'login failure reset').catch(() => undefined);
    }
  }

  private async read(email: string): Promise<{ count: number; ttlMs: number }> {
    const key = this.key(email);
    if (this.redis?.isReady) {
      try {
        const [count, ttl] = await withTimeout(
          Promise.all([this.redis.get(key), this.redis.pTTL(key)]),
          this.redisSettings.commandTimeoutMs,
          'login failure read',
        );
        return { count: Number(count ?? 0), ttlMs: Math.max(Number(ttl), 0) };
      } catch {
        // Read the per-process count instead.
      }
    }
    const entry = this.memory.get(key);
    if (!entry || entry.expiresAt <= Date.now()) {
      return { count: 0, ttlMs: 0 };
    }
    return { count: entry.count, ttlMs: entry.expiresAt - Date.now() };
  }

  private key(email: string): string {
    return `${this.redisSettings.keyPrefix}:login-failures:${email.toLowerCase()}`;
  }
}
