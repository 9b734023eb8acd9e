import { FilesModule } from '@app/files';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrdersExportRepository } from './orders-export.repository';
import { DailySalesEntity, ProcessedEventEntity, ReportEntity } from './report.entity';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [FilesModule, TypeOrmModule.forFeature([ReportEntity, DailySalesEntity, ProcessedEventEntity])],
  controllers: [ReportsController],
  providers: [OrdersExportRepository, ReportsRepository, ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
