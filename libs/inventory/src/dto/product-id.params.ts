import { IsUUID } from 'class-validator';

export class InventoryProductParams {
  @IsUUID()
  productId: string;
}
