import { ApiProperty } from '@nestjs/swagger';

export class MfaSetupResponse {
  @ApiProperty({
    description: 'The new TOTP secret (base32, SHA-1, 6 digits, 30 s), not active until enable; never shown again',
    example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  })
  secret: string;

  @ApiProperty({
    description: 'The same secret as an otpauth:// URI, for a QR code an authenticator app scans',
    example:
      'otpauth://totp/Commerce%20API:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Commerce%20API&algorithm=SHA1&digits=6&period=30',
  })
  otpauthUrl: string;
}

export class MfaRecoveryCodesResponse {
  @ApiProperty({
    description: 'Ten single-use recovery codes, each accepted once instead of a TOTP code; shown only this once',
    example: ['k7dm-3qpx-9rtw-hb4n', 'w2ce-8fzj-5vkr-ta6y'],
    type: [String],
  })
  recoveryCodes: string[];
}

export class MfaChallengeResponse {
  @ApiProperty({
    description: 'Two-factor is on: no tokens yet, complete the login with POST /v1/auth/2fa/verify',
    enum: [true],
    example: true,
  })
  mfaRequired: true;

  @ApiProperty({
    description: 'Single-use token for POST /v1/auth/2fa/verify, valid 5 minutes',
    example: 'q3V6mJtq0yNf8yq2kE4b1Hc9xWm7uP0sZr5aLd2oG8Q',
  })
  mfaToken: string;
}
