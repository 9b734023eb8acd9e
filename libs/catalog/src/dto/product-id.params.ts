import { IsId } from '@app/platform';

export class ProductIdParams {
  @IsId()
  id: string;
}
