import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Swagger schema of the RFC 9457 error body every operation may return. */
export class FieldErrorDto {
  @ApiProperty({ example: 'email' })
  field: string;

  @ApiProperty({ example: 'email must be an email' })
  message: string;
}

export class ProblemDetailsDto {
  @ApiProperty({ example: '/problems/validation-failed' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'The request is invalid; see errors for each field.' })
  detail: string;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable UPPER_SNAKE code clients can switch on.' })
  code: string;

  @ApiProperty({ example: '0192f5e4-7c1a-7cc2-9a51-0d4b2c1e9f00' })
  requestId: string;

  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldErrorDto[];
}
