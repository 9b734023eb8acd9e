import { isIP } from 'node:net';
import { z } from 'zod';

/** proxy-addr's (Fastify's) names for address ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const OFF = new Set(['', 'false', '0', 'no']);
const ALL = new Set(['true', '1', 'yes']);

/** An address, an address/prefix-length range, or one of the named ranges. */
function isProxyAddress(item: string): boolean {
  if (NAMED_RANGES.has(item)) {
    return true;
  }
  const [address, prefix, extra] = item.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) {
    return false;
  }
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * TRUST_PROXY, for Fastify's `trustProxy`, which decides the client address (`request.ip`)
 * that rate limits and login-failure counts key on:
 * - `false` (default): X-Forwarded-For is ignored, the client is the socket's peer;
 * - the proxies' addresses or ranges, comma-separated (`10.0.0.0/8,loopback`): only a peer
 *   in that list is believed, and the client is the right-most X-Forwarded-For entry that
 *   is not a listed proxy. A client cannot choose its address: what it writes into the
 *   header itself sits further left and is never read;
 * - `true`: every hop is believed and the client is the left-most entry, which the client
 *   writes itself unless the proxy replaces the header rather than appending to it (nginx's
 *   `$proxy_add_x_forwarded_for` appends): kept for proxies that replace it.
 * A hop count is refused: Fastify treats a number as "trust no one", since it cannot tell
 * who sent the header.
 */
export const trustProxySetting = z
  .string()
  .trim()
  .default('false')
  .transform((value, context): boolean | string => {
    const lower = value.toLowerCase();
    if (OFF.has(lower)) {
      return false;
    }
    if (ALL.has(lower)) {
      return true;
    }
    const items = value.split(',').map((item) => item.trim());
    const wrong = items.filter((item) => !isProxyAddress(item));
    if (wrong.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `must be true, false or the proxies' addresses or CIDR ranges (or loopback, linklocal, uniquelocal), comma-separated; not ${wrong.map((item) => JSON.stringify(item)).join(', ')}`,
      });
      return z.NEVER;
    }
    return items.join(',');
  });
