import { z } from 'zod';

/**
 * Parses one configuration namespace from environment variables.
 *
 * The schema's keys are the variable names themselves, so a failure can name the
 * exact variable the operator has to fix; start-up stops with that message.
 */
export function parseEnv<S extends z.ZodRawShape>(
  namespace: string,
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(env);
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  throw new Error(`Invalid ${namespace} configuration: ${problems}`);
}

const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );

/** Helpers for the shapes environment variables come in (everything is a string). */
export const env = {
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce.number().int().min(min).max(max).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  optionalUrl: (protocols: string[]) =>
    z
      .string()
      .trim()
      .optional()
      .transform((value) => (value === '' ? undefined : value))
      .refine((value) => value === undefined || protocols.some((p) => value.startsWith(`${p}://`)), {
        message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
      }),
  /** A comma-separated list of URLs, empty when unset; each must use one of `protocols`. */
  urlList: (protocols: string[]) =>
    list('').refine((urls) => urls.every((url) => protocols.some((p) => url.startsWith(`${p}://`))), {
      message: `must be comma-separated URLs starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    }),
  list,
};
