import { Controller, ForbiddenException, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@quarterly/platform';
import { getCycle, getExceptions, getScorecard, getScorecardChanges, type ScorecardGrouping } from '@quarterly/read-models';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import type { Response } from 'express';
import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '@quarterly/read-models';
import { periodIdFromPath } from '../shared/path-params';
import { AsAtQueryDto } from '../shared/query.dto';
import { ReadModelsGateway } from '../shared/read-models.gateway';

class ScorecardQueryDto extends AsAtQueryDto {
  @ApiPropertyOptional({ enum: ['directorate', 'plan_outcome'] }) @IsOptional() @IsIn(['directorate', 'plan_outcome'])
  groupBy?: ScorecardGrouping;
}

class ScorecardChangesQueryDto extends AsAtQueryDto {
  @ApiPropertyOptional({ example: '2026-10-05T17:00:00Z', description: 'Compare the scorecard as it stood then with asAt (default now).' })
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 instant, e.g. 2026-10-05T17:00:00Z' })
  since!: string;
}

const EVERYONE = ['performance-team', 'service-lead', 'dmt', 'clt', 'auditor', 'member'] as const;

/**
 * Scorecards are computed from the value history, so any past moment can be asked for:
 * "what did Cabinet see on 5 December, and what changed since?". Members (councillors) see a
 * quarter's scorecard once its cycle is closed and published.
 */
@ApiTags('Scorecards')
@ApiBearerAuth()
@Controller('scorecards/:period')
export class ScorecardsController {
  constructor(private readonly readModels: ReadModelsGateway) {}

  @Get()
  @Roles(...EVERYONE)
  @ApiOperation({
    summary: "A quarter's scorecard as at an instant: figures, targets, status, direction of travel and summary",
    description:
      'A KPI with no approved figure says why in noFigureReason: not_yet_due (nothing submitted, due date not passed), ' +
      'overdue (nothing submitted, due date passed), awaiting_approval, or not_available (approved as not available). ' +
      'Each is judged with the due date as it stood at asAt.',
  })
  async scorecard(@Param('period') period: string, @Query() query: ScorecardQueryDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const cycleId = periodIdFromPath(period, 'period');
    const db = await this.readModels.db(query.after, response);
    await this.assertVisible(db, cycleId, principal);
    return getScorecard(db, cycleId, { ...(query.asAt ? { asAt: query.asAt } : {}), ...(query.groupBy ? { groupBy: query.groupBy } : {}) });
  }

  @Get('changes')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'What changed on the scorecard between two instants (figures and statuses)' })
  async changes(@Param('period') period: string, @Query() query: ScorecardChangesQueryDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const cycleId = periodIdFromPath(period, 'period');
    const db = await this.readModels.db(query.after, response);
    await this.assertVisible(db, cycleId, principal);
    return getScorecardChanges(db, cycleId, { since: query.since, ...(query.asAt ? { asAt: query.asAt } : {}) });
  }

  @Get('exceptions')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'Highlight items: red figures and changes of status, with their commentary' })
  async exceptions(@Param('period') period: string, @Query() query: AsAtQueryDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const cycleId = periodIdFromPath(period, 'period');
    const db = await this.readModels.db(query.after, response);
    await this.assertVisible(db, cycleId, principal);
    return { cycleId, items: await getExceptions(db, cycleId, query.asAt ? { asAt: query.asAt } : {}) };
  }

  private async assertVisible(db: Kysely<ReadModelSchema>, cycleId: string, principal: Principal): Promise<void> {
    const staff = principal.roles.some((role) => role !== 'member');
    if (staff) return;
    const cycle = await getCycle(db, cycleId);
    if (cycle?.state !== 'closed') throw new ForbiddenException(`the ${cycleId} scorecard is not published yet`);
  }
}
