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

@Module({
  imports: [TypeOrmModule.forFeature([FileEntity]), ConfigModule.forFeature(filesConfig)],
  controllers: [FilesController],
  providers: [
    FilesRepository,
    FilesService,
    {
      provide: FileStorage,
      inject: [filesConfig.KEY],
      useFactory: (config: ConfigType<typeof filesConfig>): FileStorage => {
        if (config.storage !== 's3') {
          return new LocalDiskStorage(config.localDir);
        }
        // Loaded only when configured: the AWS SDK costs ~6 MB of heap (more in RSS) that a
        // process storing files on disk would carry for nothing.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { S3Storage } = require('./storage/s3.storage') as typeof import('./storage/s3.storage');
        return new S3Storage(config.s3);
      },
    },
  ],
  exports: [FileStorage, FilesService],
})
export class FilesModule {}
