import { Controller, ForbiddenException, Get, NotFoundException, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError, kpiDecider, kpiStreamId, returnDecider, returnStreamId, ValidationError, type IsoDate, type PeriodId, type ReturnState } from '@quarterly/domain';
import { ConcurrentChangeError, correlationIdOf, ProblemDetailsFilter, Public, QuarterlyEngine, StaleRevisionError, type Principal } from '@quarterly/platform';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { periodIdFromPath } from '../../shared/path-params';
import { plainEnglishOf, type PageError } from '../../shared/plain-english';
import { summaryInFormOrder } from '../shared/form-errors';
import { formIdempotencyKeyOf, formTextFields } from '../shared/page-caller';
import { longDate, PageRenderer } from '../shared/page-renderer';
import { periodPathOf, returnPagePath } from '../shared/return-paths';
import { ReturnWorkflowGateway } from '../shared/return-workflow.gateway';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { dateFromForm } from './cycle-form-fields';

type Requested = Exclude<ReturnState, { status: 'not_requested' }>;
interface Loaded {
  readonly kpiId: string;
  readonly cycleId: PeriodId;
  readonly title: string;
  readonly state: Requested;
  readonly revision: bigint | null;
}
interface FormState {
  readonly values?: Readonly<Record<string, string>>;
  readonly fieldErrors?: Readonly<Record<string, string>>;
  readonly errors?: readonly PageError[];
}

/**
 * One return's due date moved later, with the reason, beside the cycle's "extend a deadline" that
 * moves every open return: the performance team's form sends `ChangeReturnDueDateCommand` (the
 * use case the cycle's process manager sends for each return on a cycle-wide extension) through
 * the return workflow gateway, carrying the version seen. Linked from the status board's rows and
 * the return's page.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/returns/:kpiId/:period/deadline-extension')
export class ReturnDeadlineController {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly workflow: ReturnWorkflowGateway,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async form(@Param('kpiId') kpiId: string, @Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    this.render(request, response, 200, await this.load(kpiId, period), {});
  }

  @Post()
  async extend(@Param('kpiId') kpiId: string, @Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const loaded = await this.load(kpiId, period);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = formTextFields(body);
    const fieldErrors: Record<string, string> = {};
    const to = dateFromForm(values, 'to');
    if (!to.valid) fieldErrors['to'] = 'Enter the new due date as a real date, for example 21 10 2026';
    if (!values['reason']) fieldErrors['reason'] = 'Enter why the due date moves: the owner and auditors will read it';
    const seen = typeof body['version'] === 'string' && /^\d{1,19}$/.test(body['version']) ? BigInt(body['version']) : undefined;
    if (Object.keys(fieldErrors).length > 0) return this.render(request, response, 400, loaded, { values, fieldErrors });
    if (seen === undefined) return this.render(request, response, 400, loaded, { values, errors: [{ text: 'Reload the page and enter the new date again.', href: '#main-content' }] });
    try {
      await this.workflow.execute(principal, loaded.kpiId, loaded.cycleId, { type: 'ChangeReturnDueDate', data: { to: to.date! as IsoDate, reason: values['reason']! } }, {
        ...formIdempotencyKeyOf(body),
        correlationId: correlationIdOf(request),
        ifMatch: seen,
      });
    } catch (error) {
      if (error instanceof ValidationError && (error.field === 'to' || error.field === 'reason')) {
        const text = error.field === 'to' ? `The new due date must be after the current one, ${longDate(loaded.state.dueDate)}` : 'Enter why the due date moves';
        return this.render(request, response, 400, loaded, { values, fieldErrors: { [error.field]: text } });
      }
      if (!(error instanceof DomainError) && !(error instanceof StaleRevisionError) && !(error instanceof ConcurrentChangeError)) throw error;
      const problem = new ProblemDetailsFilter().toProblem(error, request.originalUrl);
      if (problem.status === 404 || problem.status === 403) throw error;
      const fresh = await this.load(kpiId, period);
      const text =
        problem.code === 'stale_version' || problem.code === 'concurrent_change'
          ? `Someone changed this return while you were looking at it, so nothing was saved. It is now due ${longDate(fresh.state.dueDate)}; check the date and try again.`
          : fresh.state.status === 'approved'
            ? 'This return has been approved, so its due date no longer applies.'
            : plainEnglishOf(problem);
      return this.render(request, response, problem.status === 412 ? 409 : problem.status, fresh, { values, errors: [{ text, href: '#main-content' }] });
    }
    // Date moved for this return only, and the same confirmation as the return's other actions.
    response.redirect(303, `${returnPagePath(loaded.kpiId, loaded.cycleId)}/confirmation?done=due-date-moved`);
  }

  private async load(kpiId: string, period: string): Promise<Loaded> {
    const cycleId = periodIdFromPath(period, 'period');
    const [{ state: kpi }, { state, revision }] = await Promise.all([
      this.engine.executor.load(kpiStreamId(kpiId), kpiDecider),
      this.engine.executor.load(returnStreamId(kpiId, cycleId), returnDecider),
    ]);
    if (kpi.status === 'not_defined' || state.status === 'not_requested') throw new NotFoundException(`no return of ${kpiId} for ${cycleId}`);
    return { kpiId, cycleId, title: kpi.kpi.title, state, revision };
  }

  private render(request: WebRequest, response: Response, status: number, loaded: Loaded, form: FormState): void {
    const fieldErrors = form.fieldErrors ?? {};
    response.status(status).type('html').send(
      this.pages.render('cycle-forms/extend-return-deadline.njk', {
        section: 'status-board',
        principal: layoutPrincipalOf(request.principal!),
        csrfToken: request.webSession!.csrfToken,
        pageTitle: `Extend the due date of ${loaded.kpiId} for ${loaded.cycleId}`,
        errors: form.errors ?? summaryInFormOrder(fieldErrors, ['to', 'reason'], { to: 'to-day' }),
        kpiId: loaded.kpiId,
        title: loaded.title,
        cycleId: loaded.cycleId,
        dueDate: loaded.state.dueDate,
        refusal: loaded.state.status === 'approved' && status === 200 ? 'This return has been approved, so its due date no longer applies.' : null,
        version: String(loaded.revision),
        values: form.values ?? {},
        fieldErrors,
        backHref: returnPagePath(loaded.kpiId, loaded.cycleId),
        allHref: `/app/cycles/${periodPathOf(loaded.cycleId)}/deadline-extension`,
        idempotencyKey: `web-${randomUUID()}`,
      }),
    );
  }
}

function performanceTeamOnly(principal: Principal): Principal {
  if (!principal.roles.includes('performance-team')) throw new ForbiddenException('only the performance team moves a return’s due date');
  return principal;
}
