import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { DEMO_ACCOUNTS } from '../account-bootstrap';

/** The example body logs in the demo customer `npm start` seeds, so "Try it out" works as is. */
const DEMO_CUSTOMER = DEMO_ACCOUNTS.find((account) => account.roles[0] === 'customer')!;

export class LoginDto {
  @ApiProperty({ example: DEMO_CUSTOMER.email })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: DEMO_CUSTOMER.password })
  @IsString()
  @Length(1, 128)
  password: string;
}
