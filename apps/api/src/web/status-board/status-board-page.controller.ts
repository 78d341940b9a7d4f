import { Controller, ForbiddenException, Get, NotFoundException, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ValidationError, type ReturnStatus } from '@quarterly/domain';
import { Clock, Public, QuarterlyEngine, type Principal } from '@quarterly/platform';
import { getStatusBoard, listCycles } from '@quarterly/read-models';
import type { Response } from 'express';
import { QUEUE_DASHBOARD_PATH } from '../../admin/queue-dashboard';
import { statusBoardCells, statusBoardCsv, statusBoardXlsx, stillMissing } from '../../cycles/status-board-table';
import { asAtInWords } from '../../scorecards/as-at-instant';
import { attachmentHeader, exportFileName } from '../../scorecards/export/export-file-name';
import { EXPORT_MEDIA_TYPES, requestedExportFormat } from '../../scorecards/export/export-format';
import { ScorecardExporter } from '../../scorecards/export/scorecard-exporter';
import { periodIdFromPath } from '../../shared/path-params';
import { readsPublishedOnly } from '../../shared/published-cycles';
import { longDate, PageRenderer } from '../shared/page-renderer';
import { stageLabel } from '../../shared/plain-english';
import { periodPathOf, returnPagePath } from '../shared/return-paths';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { progressInWords } from './status-board-progress';

const STATES: readonly ReturnStatus[] = ['requested', 'submitted', 'challenged', 'resubmitted', 'marked_not_available', 'approved', 'restated'];
type BoardQuery = { directorate?: string; state?: string; overdue?: string; format?: string };

/**
 * The status board for staff: a cycle's returns with filters (directorate, stage, overdue),
 * counts by stage, what is still missing, and downloads as XLSX and CSV. Read-only.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/status-board')
export class StatusBoardPageController {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly clock: Clock,
    private readonly pages: PageRenderer,
    private readonly exporter: ScorecardExporter,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    staffOnly(request.principal!);
    const db = this.engine.readModels.db;
    const now = this.clock.now();
    const cycles = await listCycles(db);
    // An open quarter's progress at a glance: what the performance team comes here to see.
    const progress = new Map<string, string>();
    for (const cycle of cycles.filter((c) => c.state === 'open')) {
      const board = await getStatusBoard(db, cycle.cycleId, { now });
      if (board) progress.set(cycle.cycleId, progressInWords(board));
    }
    response.type('html').send(
      this.pages.render('status-board/status-board-list.njk', {
        ...this.layout(request),
        pageTitle: 'Status board',
        cycles: cycles.map((c) => ({
          href: `/app/status-board/${periodPathOf(c.cycleId)}`,
          cycleId: c.cycleId,
          standing: c.state === 'open' ? 'Open' : c.state === 'closed' ? `Closed and published ${longDate(c.closedAt)}` : 'Published before Quarterly (past figures)',
          open: c.state === 'open',
          progress: progress.get(c.cycleId) ?? null,
          timetable: c.state === 'open' ? `Returns due ${longDate(c.timetable.returnsDue)}; DMT review by ${longDate(c.timetable.dmtReviewDeadline)}; publication ${longDate(c.timetable.publicationDate)}` : null,
        })),
        openCycleHref: request.principal!.roles.includes('performance-team') ? '/app/cycles/new' : null,
      }),
    );
  }

  @Get(':period')
  async show(@Param('period') period: string, @Query() query: BoardQuery, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    staffOnly(request.principal!);
    const cycleId = periodIdFromPath(period, 'period');
    const format = requestedExportFormat(text(query.format), undefined, ['csv', 'xlsx']);
    const directorate = text(query.directorate);
    const state = text(query.state);
    if (state !== undefined && !STATES.includes(state as ReturnStatus)) throw new ValidationError('state', 'must be one of the stages listed');
    const overdue = text(query.overdue);
    if (overdue !== undefined && overdue !== 'true') throw new ValidationError('overdue', 'must be true or left out');
    const db = this.engine.readModels.db;
    const everything = await getStatusBoard(db, cycleId, { now: this.clock.now() });
    if (!everything) throw new NotFoundException(`no cycle ${cycleId}`);
    const directorates = [...new Set(everything.returns.map((r) => r.directorate))].sort();
    if (directorate !== undefined && !directorates.includes(directorate)) throw new ValidationError('directorate', 'must be one of the directorates listed');
    const board = (await getStatusBoard(db, cycleId, {
      now: this.clock.now(),
      filter: { ...(directorate ? { directorate } : {}), ...(state ? { states: [state as ReturnStatus] } : {}), ...(overdue ? { overdue: true } : {}) },
    }))!;
    if (format !== null) {
      const body = format === 'csv' ? statusBoardCsv(board) : await statusBoardXlsx(board, this.exporter.councilName);
      response.setHeader('Content-Disposition', attachmentHeader(exportFileName(this.exporter.councilName, 'status-board', cycleId, board.asOf, format)));
      response.type(EXPORT_MEDIA_TYPES[format]).send(body);
      return;
    }
    const filterQuery = [directorate ? `directorate=${encodeURIComponent(directorate)}` : '', state ? `state=${state}` : '', overdue ? 'overdue=true' : ''].filter(Boolean).join('&');
    const base = `/app/status-board/${periodPathOf(cycleId)}?${filterQuery ? `${filterQuery}&` : ''}`;
    const mayExtend = request.principal!.roles.includes('performance-team') && board.cycle.state === 'open';
    response.type('html').send(
      this.pages.render('status-board/status-board.njk', {
        ...this.layout(request),
        pageTitle: `Status board ${cycleId}`,
        model: {
          cycleId,
          open: board.cycle.state === 'open',
          asOfInWords: asAtInWords(board.asOf),
          directorateOptions: [{ value: '', text: 'All directorates' }, ...directorates.map((d) => ({ value: d, text: d }))].map((o) => ({ ...o, selected: o.value === (directorate ?? '') })),
          stateOptions: [{ value: '', text: 'Any stage' }, ...STATES.map((s) => ({ value: s, text: stageLabel(s) }))].map((o) => ({ ...o, selected: o.value === (state ?? '') })),
          overdueOnly: overdue === 'true',
          counts: STATES.map((s) => ({ stage: stageLabel(s), count: board.countsByState[s] })),
          total: board.returns.length,
          overdueCount: board.overdueCount,
          escalatedCount: board.escalatedCount,
          missing: stillMissing(board).map((r) => ({ href: returnPagePath(r.kpiId, cycleId), kpiId: r.kpiId, title: r.kpiTitle, directorate: r.directorate, due: r.dueDate, overdue: r.overdue, stage: stageLabel(r.state) })),
          rows: board.returns.map((r) => ({
            href: returnPagePath(r.kpiId, cycleId),
            auditHref: `${returnPagePath(r.kpiId, cycleId)}/audit`,
            // One return's due date (the cycle's "Extend a deadline" moves every open one).
            extendHref: mayExtend && r.state !== 'approved' ? `${returnPagePath(r.kpiId, cycleId)}/deadline-extension` : null,
            cells: statusBoardCells(r),
            overdue: r.overdue,
          })),
          canAudit: request.principal!.roles.some((role) => role === 'auditor' || role === 'performance-team'),
          downloads: [
            { href: `${base}format=xlsx`, text: 'Excel (XLSX)' },
            { href: `${base}format=csv`, text: 'CSV' },
          ],
          queueDashboard: request.principal!.roles.includes('performance-team') ? QUEUE_DASHBOARD_PATH : null,
          cycleActions:
            request.principal!.roles.includes('performance-team') && board.cycle.state === 'open'
              ? { extendHref: `/app/cycles/${periodPathOf(cycleId)}/deadline-extension`, closeHref: `/app/cycles/${periodPathOf(cycleId)}/closure` }
              : null,
        },
      }),
    );
  }

  private layout(request: WebRequest) {
    return { section: 'status-board', principal: layoutPrincipalOf(request.principal!), csrfToken: request.webSession!.csrfToken };
  }
}

function staffOnly(principal: Principal): void {
  if (readsPublishedOnly(principal)) throw new ForbiddenException('the status board is for council staff');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

