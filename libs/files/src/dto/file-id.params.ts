import { IsId } from '@app/platform';

export class FileIdParams {
  @IsId()
  id: string;
}
