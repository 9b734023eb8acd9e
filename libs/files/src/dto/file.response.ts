import { ApiProperty } from '@nestjs/swagger';

export class FileResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'report.pdf' })
  filename: string;

  @ApiProperty({
    description:
      "The file part's declared media type (`type/subtype`); `application/octet-stream` when it declared none or something that is not one",
    example: 'application/pdf',
  })
  contentType: string;

  @ApiProperty({ example: 52428800 })
  sizeBytes: number;

  @ApiProperty({
    description: 'Hex SHA-256 of the content',
    example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  })
  sha256: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class FilePageResponse {
  @ApiProperty({ type: [FileResponse] })
  items: FileResponse[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
