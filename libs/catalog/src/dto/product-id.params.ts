import { IsUUID } from 'class-validator';

export class ProductIdParams {
  @IsUUID()
  id: string;
}
