/**
 * Variable interpolation as the Compose specification defines it (the "Interpolation"
 * section), for checking docker-compose.yml without a Docker engine:
 *
 * - `$VAR` and `${VAR}`: the value, or an empty string when unset;
 * - `${VAR:-default}` / `${VAR-default}`: `default` when VAR is unset or empty / unset;
 * - `${VAR:?error}` / `${VAR?error}`: fails with `error` when VAR is unset or empty / unset;
 * - `${VAR:+alt}` / `${VAR+alt}`: `alt` when VAR is set and not empty / set, else empty;
 * - `$$`: a literal `$` (what the container's shell sees).
 *
 * Defaults and alternatives may themselves hold interpolations, which are resolved too.
 */
export class InterpolationError extends Error {}

type Env = Record<string, string | undefined>;

const NAME = /^[A-Z_]\w*/i;

/** Index of the `}` closing the `${` that starts at `start`, counting nested braces. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') {
      depth++;
    } else if (text[i] === '}' && --depth === 0) {
      return i;
    }
  }
  throw new InterpolationError(`unclosed "\${" in ${JSON.stringify(text)}`);
}

/** One `${...}` body: a name and, optionally, an operator with its word. */
function substitute(body: string, env: Env): string {
  const name = NAME.exec(body)?.[0];
  if (!name) {
    throw new InterpolationError(`invalid interpolation format for "\${${body}}"`);
  }
  const rest = body.slice(name.length);
  const value = env[name];
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  if (rest === '') {
    return value ?? '';
  }
  const operator = /^:?[-?+]/.exec(rest)?.[0];
  if (!operator) {
    throw new InterpolationError(`invalid interpolation format for "\${${body}}"`);
  }
  const word = rest.slice(operator.length);
  const present = operator.startsWith(':') ? nonEmpty : set;
  if (operator.endsWith('-')) {
    return present ? value! : interpolate(word, env);
  }
  if (operator.endsWith('+')) {
    return present ? interpolate(word, env) : '';
  }
  if (!present) {
    throw new InterpolationError(`required variable ${name} is missing a value: ${interpolate(word, env)}`);
  }
  return value!;
}

/** Resolves every interpolation in one string value. */
export function interpolate(text: string, env: Env): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char !== '$') {
      out += char;
      i++;
    } else if (text[i + 1] === '$') {
      out += '$';
      i += 2;
    } else if (text[i + 1] === '{') {
      const end = closingBrace(text, i + 1);
      out += substitute(text.slice(i + 2, end), env);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      out += name ? (env[name] ?? '') : '$';
      i += 1 + (name?.length ?? 0);
    }
  }
  return out;
}

/** Interpolates every string value of a parsed compose document (keys are left as they are, as Compose does). */
export function interpolateDocument<T>(document: T, env: Env): T {
  if (typeof document === 'string') {
    return interpolate(document, env) as T;
  }
  if (Array.isArray(document)) {
    return document.map((item: unknown) => interpolateDocument(item, env)) as T;
  }
  if (document && typeof document === 'object') {
    return Object.fromEntries(
      Object.entries(document).map(([key, value]) => [key, interpolateDocument(value as unknown, env)]),
    ) as T;
  }
  return document;
}
