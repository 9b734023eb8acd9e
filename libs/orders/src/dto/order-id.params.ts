import { IsUUID } from 'class-validator';

export class OrderIdParams {
  @IsUUID()
  id: string;
}
