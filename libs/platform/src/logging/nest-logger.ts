import { Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';

/**
 * Nest's own lines, through nestjs-pino, made to fit a first run.
 *
 * Nest announces every module, controller and route it wires at `log` level: some
 * sixty lines before the API is ready, which bury the few lines a person starting it
 * needs. Those boot contexts are logged at debug (LOG_LEVEL=debug shows them);
 * everything else keeps its level.
 */
const BOOT_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

@Injectable()
export class NestLogger extends Logger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && BOOT_CONTEXTS.has(context)) {
      this.debug(message, ...optionalParams);
      return;
    }
    super.log(message, ...optionalParams);
  }

  /**
   * A failed listen is reported once, by the app's main, in one line naming the variable
   * to change (PORT): Nest's own error line about it is kept for LOG_LEVEL=debug.
   */
  override error(message: unknown, ...optionalParams: unknown[]): void {
    if (
      optionalParams.at(-1) === 'NestApplication' &&
      typeof message === 'string' &&
      message.startsWith('Error: listen ')
    ) {
      this.debug(message, ...optionalParams);
      return;
    }
    super.error(message, ...optionalParams);
  }
}
