import { UserResponse } from '@app/users';
import { ApiProperty } from '@nestjs/swagger';

export class TokenPairResponse {
  @ApiProperty({ description: 'JWT access token (short-lived)' })
  accessToken: string;

  @ApiProperty({ description: 'Opaque refresh token; single use, rotated on every refresh' })
  refreshToken: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn: number;
}

export class SessionResponse extends TokenPairResponse {
  @ApiProperty({ type: UserResponse })
  user: UserResponse;
}
