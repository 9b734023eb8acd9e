import { IsId } from '@app/platform';

export class OrderIdParams {
  @IsId()
  id: string;
}
