import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FileEntity } from './file.entity';
import { filesConfig } from './files.config';
import { FilesController } from './files.controller';
import { FilesRepository } from './files.repository';
import { FilesService } from './files.service';
import { FileStorage } from './storage/file-storage';
import { LocalDiskStorage } from './storage/local-disk.storage';
import { S3Storage } from './storage/s3.storage';

@Module({
  imports: [TypeOrmModule.forFeature([FileEntity]), ConfigModule.forFeature(filesConfig)],
  controllers: [FilesController],
  providers: [
    FilesRepository,
    FilesService,
    {
      provide: FileStorage,
      inject: [filesConfig.KEY],
      useFactory: (config: ConfigType<typeof filesConfig>): FileStorage =>
        config.storage === 's3' ? new S3Storage(config.s3) : new LocalDiskStorage(config.localDir),
    },
  ],
  exports: [FileStorage, FilesService],
})
export class FilesModule {}
