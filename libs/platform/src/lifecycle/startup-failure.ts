import { inspect } from 'node:util';

/**
 * What a failed start prints: one line, no stack trace, naming the setting to change
 * when one is known. A newcomer whose port 3000 is taken should read "set PORT", not a
 * stack trace or `undefined` (some libraries reject with no value at all).
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

interface SystemError {
  code?: unknown;
}

const MAX_LENGTH = 500;

/** Turns a failed listen into a StartupError naming the variable that picks the port. */
export function explainListenError(error: unknown, what: string, address: string, variable: string): unknown {
  const code = (error as SystemError | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new StartupError(`${what} cannot listen on ${address}: the port is in use; set ${variable} to a free port`);
  }
  if (code === 'EACCES') {
    return new StartupError(
      `${what} may not listen on ${address}: ports below 1024 need privileges; set ${variable} to a port above 1023`,
    );
  }
  return error;
}

/** One line for any thrown value. */
export function describeStartupFailure(error: unknown): string {
  if (error === undefined || error === null) {
    return 'a start-up step failed without saying why (it rejected with no error); run with LOG_LEVEL=debug for more';
  }
  const text =
    error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : inspect(error);
  const line = text
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' | ');
  return line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH)}...` : line;
}

/**
 * Prints `<app> failed to start: <one line>` and exits 1, after `cleanup` (stopping an
 * embedded PostgreSQL already started, which would otherwise outlive the process).
 */
export async function exitAfterStartupFailure(
  app: string,
  error: unknown,
  cleanup?: () => Promise<unknown> | undefined,
): Promise<never> {
  console.error(`${app} failed to start: ${describeStartupFailure(error)}`);
  await cleanup?.()?.catch(() => undefined);
  process.exit(1);
}
