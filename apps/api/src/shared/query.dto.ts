import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

/** Read-your-writes: the `position` of a command's receipt; the query waits until it is projected. */
export class ConsistencyQueryDto {
  @ApiPropertyOptional({ description: "A command receipt's position: answer only once the read models include it." })
  @IsOptional() @Matches(/^\d{1,19}$/, { message: 'must be an event position from a command receipt' })
  after?: string;
}

/** Queries that can look back in time. */
export class AsAtQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ example: '2026-10-05T17:00:00Z', description: 'Answer as things stood at this instant (default: now).' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 instant, e.g. 2026-10-05T17:00:00Z' })
  asAt?: string;
}
