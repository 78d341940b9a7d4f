import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';

const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;
const DECIMAL_MESSAGE = 'must be a decimal number written as a string, e.g. "83.5"';
const COMPANION = (measure: string): string =>
  `The ${measure} figure printed beside the headline, when the service gives it. When it is the figure the KPI's year rates ` +
  '(ratedFigure, else the measure type) it must equal value; at Q1 / H1 the two figures must be equal. Not for snapshot or rolling KPIs.';

export class MonthlyValueDto {
  @ApiProperty({ example: '2024-07' }) @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month like 2024-07' })
  month!: string;

  @ApiProperty({ example: '41.2' }) @IsString() @Matches(DECIMAL, { message: DECIMAL_MESSAGE })
  value!: string;
}

export class SubmitReturnDto {
  @ApiProperty({ example: '41.2', description: 'The headline figure (quarter, year to date, half-year or year), as a decimal string.' })
  @IsString() @Matches(DECIMAL, { message: DECIMAL_MESSAGE })
  value!: string;

  @ApiPropertyOptional({ example: '12.4', description: COMPANION('in-period') })
  @IsOptional() @IsString() @Matches(DECIMAL, { message: DECIMAL_MESSAGE })
  inPeriodValue?: string;

  @ApiPropertyOptional({ example: '38.0', description: COMPANION('year-to-date') })
  @IsOptional() @IsString() @Matches(DECIMAL, { message: DECIMAL_MESSAGE })
  yearToDateValue?: string;

  @ApiPropertyOptional({ type: [MonthlyValueDto], description: "A monthly KPI's figures for the months of the quarter known (any of them, each once)." })
  @IsOptional() @IsArray() @ArrayMaxSize(3) @ValidateNested({ each: true }) @Type(() => MonthlyValueDto)
  monthlyValues?: MonthlyValueDto[];

  @ApiProperty({ description: 'What the figure shows and why.' }) @IsString() @MinLength(1) @MaxLength(10_000)
  commentary!: string;

  @ApiPropertyOptional({ description: 'Required when the figure is off target (red, amber, not met).' })
  @IsOptional() @IsString() @MaxLength(10_000)
  offTargetReason?: string;

  @ApiPropertyOptional({ description: 'The actions that will bring the figure back on target; required with offTargetReason.' })
  @IsOptional() @IsString() @MaxLength(10_000)
  routeToGreen?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000)
  dataQualityNotes?: string;
}

export class ResubmitReturnDto extends SubmitReturnDto {
  @ApiProperty({ description: "How the service answers the DMT's challenge." }) @IsString() @MinLength(1) @MaxLength(10_000)
  responseToChallenge!: string;
}

export class ReasonDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(10_000)
  reason!: string;
}

export class EscalateReturnDto extends ReasonDto {
  @ApiProperty({ enum: ['dmt', 'clt'] }) @IsIn(['dmt', 'clt'])
  level!: 'dmt' | 'clt';
}

export class RestateReturnDto extends ReasonDto {
  @ApiProperty({ example: '42.0' }) @IsString() @Matches(DECIMAL, { message: DECIMAL_MESSAGE })
  value!: string;

  @ApiPropertyOptional({ example: '12.4', description: COMPANION('in-period') })
  @IsOptional() @IsString() @Matches(DECIMAL, { message: DECIMAL_MESSAGE })
  inPeriodValue?: string;

  @ApiPropertyOptional({ example: '38.0', description: COMPANION('year-to-date') })
  @IsOptional() @IsString() @Matches(DECIMAL, { message: DECIMAL_MESSAGE })
  yearToDateValue?: string;

  @ApiPropertyOptional({ type: [MonthlyValueDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(3) @ValidateNested({ each: true }) @Type(() => MonthlyValueDto)
  monthlyValues?: MonthlyValueDto[];
}

/** Approval carries no fields; an empty object (or no body) is expected. */
export class ApproveReturnDto {}
