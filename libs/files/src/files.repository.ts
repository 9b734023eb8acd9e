import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { FileEntity } from './file.entity';

@Injectable()
export class FilesRepository {
  constructor(@InjectRepository(FileEntity) private readonly files: Repository<FileEntity>) {}

  async insert(file: FileEntity): Promise<void> {
    await this.files.insert(file);
  }

  /** The file if it exists and `ownerId` may see it (undefined owner: an admin, sees all). */
  findVisible(id: string, ownerId: string | undefined): Promise<FileEntity | null> {
    return this.files.findOne({ where: ownerId === undefined ? { id } : { id, ownerId } });
  }

  /** Keyset page, newest first, after the (createdAt, id) cursor when given. */
  async listVisible(
    ownerId: string | undefined,
    limit: number,
    after?: { createdAt: Date; id: string },
  ): Promise<FileEntity[]> {
    const query = this.files
      .createQueryBuilder('f')
      .select(['f.id', 'f.ownerId', 'f.filename', 'f.contentType', 'f.sizeBytes', 'f.sha256', 'f.createdAt'])
      .orderBy('f.createdAt', 'DESC')
      .addOrderBy('f.id', 'DESC')
      .limit(limit);
    if (ownerId !== undefined) {
      query.andWhere('f.ownerId = :ownerId', { ownerId });
    }
    if (after) {
      query.andWhere('(f.createdAt, f.id) < (:createdAt, :id)', after);
    }
    return query.getMany();
  }

  async delete(id: string): Promise<void> {
    await this.files.delete({ id });
  }
}
