import { AuthModule } from '@app/auth';
import { FilesModule } from '@app/files';
import { JobsModule } from '@app/jobs';
import { HttpPlatformModule, PlatformModule } from '@app/platform';
import { UsersModule } from '@app/users';
import { Module } from '@nestjs/common';
import { ConditionalModule } from '@nestjs/config';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'api' }),
    HttpPlatformModule,
    UsersModule,
    AuthModule,
    FilesModule,
    // With no broker there is no separate worker: its consumers and crons run here.
    ConditionalModule.registerWhen(JobsModule, (env: NodeJS.ProcessEnv) => !env.AMQP_URL),
  ],
})
export class ApiModule {}
