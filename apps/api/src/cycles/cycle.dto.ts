import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'must be a date like 2024-10-15';

export class CycleTimetableDto {
  @ApiProperty({ example: '2024-10-15' }) @Matches(DATE, { message: DATE_MESSAGE })
  returnsDue!: string;

  @ApiProperty({ example: '2024-10-22' }) @Matches(DATE, { message: DATE_MESSAGE })
  dmtReviewDeadline!: string;

  @ApiProperty({ example: '2024-10-29' }) @Matches(DATE, { message: DATE_MESSAGE })
  cltDate!: string;

  @ApiProperty({ example: '2024-11-12' }) @Matches(DATE, { message: DATE_MESSAGE })
  publicationDate!: string;
}

export class OpenCycleDto {
  @ApiProperty({ example: '2024/25-Q2', description: 'The financial-year quarter the cycle reports.' })
  @IsString()
  cycleId!: string;

  @ApiPropertyOptional({
    type: CycleTimetableDto,
    description:
      'Omit for the default: returns due 10 working days after quarter end, DMT review 5 working days later, ' +
      'CLT 5 working days after that, publication 10 working days after CLT (England and Wales working days).',
  })
  @IsOptional() @ValidateNested() @Type(() => CycleTimetableDto)
  timetable?: CycleTimetableDto;

  @ApiPropertyOptional({
    description:
      'How this cycle reminds, chases and escalates; fields left out take the default: remindWorkingDaysBefore [3], ' +
      'remindOnDeadlineDay true, chaseEveryWorkingDays 2, escalateToDmtAfterWorkingDays 3, escalateToCltAfterWorkingDays 8, ' +
      'challengeResubmitWithinWorkingDays 5, chaseDmtReviewAfterDeadline true, sendAtLocalTime "09:00" (Europe/London).',
    example: { remindWorkingDaysBefore: [5, 2], escalateToDmtAfterWorkingDays: 5 },
  })
  @IsOptional() @IsObject()
  reminderPolicy?: Record<string, unknown>;
}

export class ExtendCycleDeadlineDto {
  @ApiProperty({ enum: ['returnsDue', 'dmtReviewDeadline'] }) @IsIn(['returnsDue', 'dmtReviewDeadline'])
  deadline!: 'returnsDue' | 'dmtReviewDeadline';

  @ApiProperty({ example: '2024-10-18' }) @Matches(DATE, { message: DATE_MESSAGE })
  to!: string;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(10_000)
  reason!: string;
}
