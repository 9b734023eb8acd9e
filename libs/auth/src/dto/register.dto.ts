import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

export class RegisterDto {
  /** Unique, case-insensitively */
  @IsEmail()
  @MaxLength(254)
  email: string;

  /** 12 to 128 characters */
  @IsString()
  @Length(12, 128)
  password: string;

  @IsString()
  @Length(1, 100)
  name: string;
}
