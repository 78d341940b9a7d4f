import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  FREQUENCIES,
  KPI_UNITS,
  MEASURE_TYPES,
  POLARITIES,
  RATING_LABELS,
  type Frequency,
  type KpiUnit,
  type MeasureType,
  type Polarity,
  type RatingLabels,
  type RatingPolicy,
  LAST_YEAR_BASES,
  RATED_FIGURES,
  TARGET_PERIODS,
  type LastYearBasis,
  type RatedFigure,
  type TargetPeriod,
} from '@quarterly/domain';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

// Shapes only: the domain validates meaning (decimal targets, period ids, ordering of
// thresholds) and names the field when it refuses.

export class ValueRangeDto {
  @ApiProperty({ type: String, nullable: true, example: '-100', description: 'Lowest valid figure (decimal string); null for none.' })
  min!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Highest valid figure (decimal string); null for none.' })
  max!: string | null;
}

export class KpiDescriptionDto {
  @ApiProperty({ example: 'Percentage of household waste sent for reuse, recycling or composting' })
  @IsString() @MinLength(1) @MaxLength(300)
  title!: string;

  @ApiProperty({ description: 'The precise definition: numerator, denominator, inclusions, exclusions.' })
  @IsString() @MinLength(1)
  definition!: string;

  @ApiProperty({ example: 'Place' }) @IsString() @MinLength(1) @MaxLength(200)
  directorate!: string;

  @ApiProperty({ example: 'Waste Management' }) @IsString() @MinLength(1) @MaxLength(200)
  serviceArea!: string;

  @ApiProperty({ example: '1.2.1 Keep our city clean' }) @IsString() @MinLength(1) @MaxLength(300)
  planOutcome!: string;

  @ApiProperty({ enum: KPI_UNITS }) @IsIn(KPI_UNITS)
  unit!: KpiUnit;

  @ApiProperty({ minimum: 0, maximum: 6, description: 'Precision the figure is reported at.' })
  @IsInt() @Min(0) @Max(6)
  decimalPlaces!: number;

  @ApiProperty({ enum: POLARITIES }) @IsIn(POLARITIES)
  polarity!: Polarity;

  @ApiProperty({ enum: FREQUENCIES }) @IsIn(FREQUENCIES)
  frequency!: Frequency;

  @ApiPropertyOptional({ enum: [1, 2, 3, 4], description: 'Annual KPIs: the quarter whose cycle collects the figure.' })
  @IsOptional() @IsIn([1, 2, 3, 4])
  annualDueQuarter?: 1 | 2 | 3 | 4;

  @ApiProperty({ enum: MEASURE_TYPES }) @IsIn(MEASURE_TYPES)
  measureType!: MeasureType;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(500)
  dataSource!: string;

  @ApiProperty({ description: 'Known limitations and data-quality notes (may be empty).' }) @IsString()
  limitations!: string;

  @ApiProperty({ type: [String], example: ['national average', 'statistical neighbours'] })
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true })
  benchmarkSources!: string[];

  @ApiProperty({ enum: RATING_LABELS }) @IsIn(RATING_LABELS)
  labels!: RatingLabels;

  @ApiPropertyOptional({
    type: ValueRangeDto,
    description:
      "The valid range of figures and targets when it differs from the unit's: a percentage is 0 to 100; " +
      'a count, rate or number of days is not negative; money and scores are unbounded.',
  })
  @IsOptional() @IsObject()
  validRange?: ValueRangeDto;

  @ApiPropertyOptional({
    example: 'µg/m³',
    description: 'How figures are labelled when displayed (free text: "tonnes per household", "£k", "per 1,000 population"); the unit still decides the valid range and % / £.',
  })
  @IsOptional() @IsString() @MaxLength(60)
  unitLabel?: string;
}

export class DefineKpiDto extends KpiDescriptionDto {
  @ApiProperty({ example: 'ENV-01', description: 'The KPI reference, unique in the register.' })
  @IsString() @MinLength(1) @MaxLength(32)
  kpiId!: string;

  @ApiProperty({ example: 'j.smith', description: 'User id of the accountable owner.' }) @IsString()
  owner!: string;

  @ApiProperty({ type: [String], description: 'User ids of the officers who produce the figure.' })
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true })
  keyContacts!: string[];
}

export class AmendKpiDefinitionDto {
  @ApiProperty({ description: 'Only the fields that change, with their new values.', type: Object })
  @IsObject()
  changes!: Record<string, unknown>;

  @ApiProperty() @IsString() @MinLength(1)
  reason!: string;

  @ApiPropertyOptional({ example: '2024/25-Q3', description: 'Figures up to and including this quarter have no status.' })
  @IsOptional() @IsString()
  underQualityAssuranceUntil?: string;
}

export class ChangeKpiOwnershipDto {
  @ApiProperty() @IsString()
  owner!: string;

  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(20) @IsString({ each: true })
  keyContacts!: string[];

  @ApiPropertyOptional() @IsOptional() @IsString()
  reason?: string;
}

export class SetKpiTargetPolicyDto {
  @ApiProperty({
    description:
      'One of: {kind:"thresholds",green,amber} | {kind:"tolerance",target,tolerancePercent} | ' +
      '{kind:"met_not_met",target} | {kind:"direction",direction:"increase"|"decrease"} | {kind:"tracker"}. ' +
      'Targets are decimal strings.',
    example: { kind: 'thresholds', green: '45.0', amber: '40.0' },
  })
  @IsObject()
  policy!: RatingPolicy;

  @ApiPropertyOptional({
    enum: TARGET_PERIODS,
    description: "One period's policy (a quarterly or interim profile) overriding the year's there; absent for the whole year's. The year's policy must be set first.",
  })
  @IsOptional() @IsIn(TARGET_PERIODS)
  period?: TargetPeriod;

  @ApiPropertyOptional({
    enum: RATED_FIGURES,
    description: "Which figure is rated and compared (absent: the KPI's measure type). Not for snapshot or rolling KPIs.",
  })
  @IsOptional() @IsIn(RATED_FIGURES)
  ratedFigure?: RatedFigure;

  @ApiPropertyOptional({
    enum: LAST_YEAR_BASES,
    description:
      'What "vs last year" compares with: same_period (like for like, the default), last_year_outturn ' +
      "(last year's Q4 year-to-date, H2 or annual figure) or pro_rata_annual (last year's annual total × the elapsed share of the year, rounded to the KPI's decimal places). " +
      "Without period it states the year's (absent = same_period); with period, absent leaves the year's as it is.",
  })
  @IsOptional() @IsIn(LAST_YEAR_BASES)
  lastYearBasis?: LastYearBasis;
}

export class RetireKpiDto {
  @ApiProperty() @IsString() @MinLength(1)
  reason!: string;

  @ApiProperty({ example: '2025/26-Q1', description: 'The first quarter for which no return is requested.' })
  @IsString()
  effectiveFrom!: string;
}
