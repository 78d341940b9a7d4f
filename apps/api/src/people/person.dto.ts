import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@quarterly/domain';
import { ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class RegisterPersonDto {
  @ApiProperty({ example: 'j.smith' }) @IsString() @MinLength(1) @MaxLength(64)
  personId!: string;

  @ApiProperty({ example: 'Jo Smith' }) @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'jo.smith@council.example' }) @IsEmail()
  email!: string;

  @ApiProperty({ enum: ROLES, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiPropertyOptional({ example: 'Place' }) @IsOptional() @IsString() @MaxLength(200)
  directorate?: string;

  @ApiPropertyOptional({
    example: '7d3c0c1e-52b1-4c4e-9a0e-1f2d3c4b5a69',
    description: "The value of the council's sign-in claim that identifies this person (Entra ID's oid, say), matched with OIDC_IDENTITY_MATCH=sign-in-id. Unique in the directory: one another person holds is refused with 409 sign_in_id_taken, naming them.",
  })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  signInId?: string;
}

export class ChangePersonDetailsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional() @IsOptional() @IsEmail()
  email?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true }) @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  directorate?: string;

  @ApiPropertyOptional({
    example: '7d3c0c1e-52b1-4c4e-9a0e-1f2d3c4b5a69',
    description: "The value of the council's sign-in claim that identifies this person (Entra ID's oid, say), matched with OIDC_IDENTITY_MATCH=sign-in-id. Unique in the directory: one another person holds is refused with 409 sign_in_id_taken, naming them.",
  })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  signInId?: string;
}

export class DeactivatePersonDto {
  @ApiProperty() @IsString() @MinLength(1)
  reason!: string;
}
