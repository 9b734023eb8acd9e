import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** A current code of the authenticator app (enable, disable). */
export class MfaCodeDto {
  @ApiProperty({
    description: 'The 6-digit code the authenticator app shows now (TOTP, 30-second steps)',
    example: '492039',
    pattern: '^[0-9]{6}$',
    minLength: 6,
    maxLength: 6,
  })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}
