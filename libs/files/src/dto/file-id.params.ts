import { IsUUID } from 'class-validator';

export class FileIdParams {
  @IsUUID()
  id: string;
}
