import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { appConfig } from '../config/app.config';
import { createRootLogger, ROOT_LOGGER } from './root-logger';

@Global()
@Module({})
export class LoggingModule {
  static forRoot(service: string): DynamicModule {
    const rootLoggerProvider = {
      provide: ROOT_LOGGER,
      inject: [appConfig.KEY],
      useFactory: (config: ConfigType<typeof appConfig>) => createRootLogger(config, service),
    };
    return {
      module: LoggingModule,
      providers: [rootLoggerProvider],
      exports: [rootLoggerProvider],
      imports: [
        LoggerModule.forRootAsync({
          providers: [rootLoggerProvider],
          inject: [ROOT_LOGGER],
          useFactory: (logger: Logger) => ({
            pinoHttp: {
              logger,
              // One line per request is written by the onResponse hook, which knows the route template.
              autoLogging: false,
              quietReqLogger: true,
              customAttributeKeys: { reqId: 'requestId' },
            },
          }),
        }),
      ],
    };
  }
}
