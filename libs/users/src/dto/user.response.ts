import { ApiProperty } from '@nestjs/swagger';
import { USER_ROLES, USER_STATUSES } from '../user-role';
import type { UserRole, UserStatus } from '../user-role';

export class UserResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: USER_ROLES, isArray: true })
  roles: UserRole[];

  @ApiProperty({ enum: USER_STATUSES })
  status: UserStatus;

  @ApiProperty({ description: 'Whether the owner followed the link of a verification email', example: true })
  emailVerified: boolean;
  @ApiProperty({ description: 'Whether login asks for a TOTP code (two-factor authentication)', example: false })
  mfaEnabled: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class UserPageResponse {
  @ApiProperty({ type: [UserResponse] })
  items: UserResponse[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
