import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches, ValidateBy, ValidateIf } from 'class-validator';

/** The second step of a login: the mfaToken and either a TOTP code or a recovery code, not both. */
export class VerifyMfaDto {
  @ApiProperty({
    description: 'The mfaToken login answered with (single use, valid 5 minutes)',
    example: 'q3V6mJtq0yNf8yq2kE4b1Hc9xWm7uP0sZr5aLd2oG8Q',
    minLength: 16,
    maxLength: 256,
  })
  @IsString()
  @Length(16, 256)
  mfaToken: string;

  @ApiPropertyOptional({
    description: 'The 6-digit code the authenticator app shows now; give this or recoveryCode',
    example: '492039',
    pattern: '^[0-9]{6}$',
    minLength: 6,
    maxLength: 6,
  })
  // Required unless a recovery code is given; refused next to one.
  @ValidateIf((body: VerifyMfaDto) => body.recoveryCode === undefined || body.code !== undefined)
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  @AbsentWith('recoveryCode')
  code?: string;

  @ApiPropertyOptional({
    description:
      'One of the recovery codes from enable (single use; case, spaces and dashes ignored); give this or code',
    example: 'k7dm-3qpx-9rtw-hb4n',
    minLength: 16,
    maxLength: 64,
  })
  @ValidateIf((body: VerifyMfaDto) => body.code === undefined || body.recoveryCode !== undefined)
  @IsString()
  @Length(16, 64)
  @Matches(/^[a-z0-9\s-]+$/i, { message: 'recoveryCode must be letters, digits, spaces and dashes' })
  recoveryCode?: string;
}

/** Refuses the property when `other` is given too: exactly one of the two. */
function AbsentWith(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'absentWith',
    validator: {
      validate: (_value, args) => (args?.object as Record<string, unknown>)[other] === undefined,
      defaultMessage: (args) => `give either ${args?.property} or ${other}, not both`,
    },
  });
}
