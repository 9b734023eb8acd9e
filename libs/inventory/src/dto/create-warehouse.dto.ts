import { IsString, Length, Matches } from 'class-validator';

export class CreateWarehouseDto {
  /** Short unique code; stock is reserved across warehouses in code order */
  @IsString()
  @Length(1, 32)
  @Matches(/^[\w-]+$/)
  code: string;

  @IsString()
  @Length(1, 200)
  name: string;
}
