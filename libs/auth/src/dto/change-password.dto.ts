import { IsString, Length } from 'class-validator';

export class ChangePasswordDto {
  @IsString()
  @Length(1, 128)
  currentPassword: string;

  /** 12 to 128 characters */
  @IsString()
  @Length(12, 128)
  newPassword: string;
}
