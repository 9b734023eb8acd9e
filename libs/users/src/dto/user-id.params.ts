import { IsId } from '@app/platform';

export class UserIdParams {
  @IsId()
  id: string;
}
