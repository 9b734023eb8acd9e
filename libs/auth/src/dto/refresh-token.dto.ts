import { IsString, Length } from 'class-validator';

export class RefreshTokenDto {
  /** The opaque refresh token from the last token pair */
  @IsString()
  @Length(16, 256)
  refreshToken: string;
}
