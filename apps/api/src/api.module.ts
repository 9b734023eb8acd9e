import { AuthModule } from '@app/auth';
import { BillingModule } from '@app/billing';
import { CatalogModule } from '@app/catalog';
import { FilesModule } from '@app/files';
import { InventoryModule } from '@app/inventory';
import { JobsModule } from '@app/jobs';
import { OrdersModule } from '@app/orders';
import { ReportsModule } from '@app/reports';
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
    CatalogModule,
    InventoryModule,
    OrdersModule,
    BillingModule,
    ReportsModule,
    // With no broker there is no separate worker: its consumers and crons run here.
    ConditionalModule.registerWhen(JobsModule, (env: NodeJS.ProcessEnv) => !env.AMQP_URL),
  ],
})
export class ApiModule {}
