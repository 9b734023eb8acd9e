/**
 * The stricter per-IP limit of the credential endpoints. The limit is read from
 * THROTTLE_AUTH_PER_MINUTE when the module starts (see auth.module.ts).
 */
export const AUTH_THROTTLE = {
  default: {
    limit: () => Number(process.env.THROTTLE_AUTH_PER_MINUTE ?? 10),
    ttl: 60_000,
  },
};
