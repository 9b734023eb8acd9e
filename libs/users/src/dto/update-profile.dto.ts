import { IsString, Length } from 'class-validator';

export class UpdateProfileDto {
  /** Display name */
  @IsString()
  @Length(1, 100)
  name: string;
}
