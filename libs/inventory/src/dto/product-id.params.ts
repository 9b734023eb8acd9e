import { IsId } from '@app/platform';

export class InventoryProductParams {
  @IsId()
  productId: string;
}
