import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { mailConfig } from './mail.config';
import { Mailer } from './mailer';

/** Sending email; imported by the consumers that send it (the worker, or the API without a broker). */
@Module({
  imports: [ConfigModule.forFeature(mailConfig)],
  providers: [Mailer],
  exports: [Mailer, ConfigModule],
})
export class MailModule {}
