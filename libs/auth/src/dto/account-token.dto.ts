import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';

/** The tokens mailed to users: 32 random bytes, base64url (43 characters). */
const TOKEN_LENGTH = 43;
const TOKEN_PATTERN = /^[\w-]+$/;
const TOKEN_EXAMPLE = 'N5wbT1A2UxdGDJN-fyh2goTeVNfsK-qnDaZtwt3eTP4';

export class VerifyEmailDto {
  @ApiProperty({
    description: 'The token from the verification email (its link carries it too)',
    example: TOKEN_EXAMPLE,
  })
  @IsString()
  @Length(TOKEN_LENGTH, TOKEN_LENGTH)
  @Matches(TOKEN_PATTERN, { message: 'token must be the 43-character code from the email' })
  token: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ description: 'The email address of the account', example: 'ada@example.com', format: 'email' })
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'The token from the password-reset email', example: TOKEN_EXAMPLE })
  @IsString()
  @Length(TOKEN_LENGTH, TOKEN_LENGTH)
  @Matches(TOKEN_PATTERN, { message: 'token must be the 43-character code from the email' })
  token: string;

  @ApiProperty({
    description: '12 to 128 characters, not guessable (the same rule as at registration)',
    example: 'violet-harbor-engine-tulip',
  })
  @IsString()
  @Length(12, 128)
  newPassword: string;
}
