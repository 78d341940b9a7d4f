import { Controller, ForbiddenException, Get, NotFoundException, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { CloseCycleCommand, cycleTimetableFrom, ExtendCycleDeadlineCommand, OpenCycleCommand, type CycleOpening } from '@quarterly/application';
import { EnglandAndWalesCalendar } from '@quarterly/calendar';
import {
  AlreadyExistsError,
  cycleDecider,
  cycleStreamId,
  DeadlineNotLaterError,
  DomainError,
  parsePeriodId,
  ValidationError,
  type CycleState,
  type CycleTimetable,
  type PeriodId,
} from '@quarterly/domain';
import { Clock, ConcurrentChangeError, correlationIdOf, ProblemDetailsFilter, Public, QuarterlyEngine, StaleRevisionError, type Principal } from '@quarterly/platform';
import { getStatusBoard } from '@quarterly/read-models';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { stillMissing } from '../../cycles/status-board-table';
import { periodIdFromPath } from '../../shared/path-params';
import { plainEnglishOf, type PageError } from '../../shared/plain-english';
import { longDate, PageRenderer } from '../shared/page-renderer';
import { formIdempotencyKeyOf, formTextFields, pageCallerOf } from '../shared/page-caller';
import { periodPathOf } from '../shared/return-paths';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { dateFromForm, defaultPolicyValues, POLICY_FIELDS, POLICY_LABELS, policyFromForm } from './cycle-form-fields';
import { summaryInFormOrder } from '../shared/form-errors';
import { quarterAsTyped } from '../shared/typed-quarter';

type Body = Record<string, unknown>;
type OpenCycle = Extract<CycleState, { status: 'open' | 'closed' }>;
interface FormState {
  readonly values?: Readonly<Record<string, string>>;
  readonly fieldErrors?: Readonly<Record<string, string>>;
  readonly errors?: readonly PageError[];
}

const DEADLINES = { returnsDue: 'Returns due date', dmtReviewDeadline: 'DMT review deadline' } as const;
type Deadline = keyof typeof DEADLINES;

/**
 * The performance team's cycle forms: open a quarter's cycle (its quarter, its returns due date
 * and the reminder policy, defaults filled in), extend a deadline for all its open returns, and
 * close and publish it. Each posts the same use case as the JSON API (`OpenCycleCommand`,
 * `ExtendCycleDeadlineCommand`, `CloseCycleCommand`) and comes back as a confirmation or the form
 * with its errors; a refusal writes nothing.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/cycles')
export class CycleFormsController {
  private readonly calendar = new EnglandAndWalesCalendar();

  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly commandBus: CommandBus,
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
  ) {}

  @Get('new')
  openForm(@Req() request: WebRequest, @Res() response: Response): void {
    performanceTeamOnly(request.principal!);
    this.renderOpenForm(request, response, 200, { values: defaultPolicyValues() });
  }

  @Post()
  async open(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    const cycleId = quarterAsTyped(values['cycleId'] ?? '');
    const fieldErrors: Record<string, string> = {};
    if (!cycleId) fieldErrors['cycleId'] = 'Enter the quarter, for example 2026/27-Q3';
    else {
      try {
        parsePeriodId(cycleId, 'cycleId');
      } catch {
        fieldErrors['cycleId'] = 'Enter the quarter as the financial year and quarter, for example 2026/27-Q3';
      }
    }
    const due = dateFromForm(values, 'returnsDue');
    if (!due.blank && !due.valid) fieldErrors['returnsDue'] = 'Enter the returns due date as a real date, for example 14 10 2026, or leave it blank for the default';
    const { policy, errors: policyErrors } = policyFromForm(values);
    Object.assign(fieldErrors, policyErrors);
    if (Object.keys(fieldErrors).length > 0) return this.renderOpenForm(request, response, 400, { values, fieldErrors });
    const opening: CycleOpening = {
      cycleId,
      ...(due.date ? { timetable: cycleTimetableFrom(due.date, this.calendar) } : {}),
      ...(policy ? { reminderPolicy: policy } : {}),
    };
    try {
      const caller = pageCallerOf(principal, this.clock, `OpenCycle ${cycleId}\n${JSON.stringify(opening)}`, { ...formIdempotencyKeyOf(body), correlationId: correlationIdOf(request) });
      await this.commandBus.execute(new OpenCycleCommand(opening, caller));
    } catch (error) {
      if (error instanceof ValidationError) {
        const field = openFormFieldOf(error.field);
        const errors = { [field]: openFormMessage(field, error) };
        return this.renderOpenForm(request, response, 400, { values, fieldErrors: errors });
      }
      if (error instanceof AlreadyExistsError) {
        const text = `A cycle for ${cycleId} has already been opened. Choose another quarter, or go to its status board.`;
        return this.renderOpenForm(request, response, 409, { values, fieldErrors: { cycleId: text } });
      }
      return this.refused(error, request, (errors, status) => this.renderOpenForm(request, response, status, { values, errors }));
    }
    response.redirect(303, `/app/cycles/${periodPathOf(cycleId as PeriodId)}/confirmation?done=opened`);
  }

  @Get(':period/deadline-extension')
  async extendForm(@Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    const cycle = await this.loadOpen(period, request, response);
    if (!cycle) return;
    this.renderExtendForm(request, response, 200, cycle, { values: { deadline: 'returnsDue' } });
  }

  @Post(':period/deadline-extension')
  async extend(@Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const cycle = await this.loadOpen(period, request, response);
    if (!cycle) return;
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    const fieldErrors: Record<string, string> = {};
    const deadline = values['deadline'];
    if (deadline !== 'returnsDue' && deadline !== 'dmtReviewDeadline') fieldErrors['deadline'] = 'Select which deadline moves';
    const to = dateFromForm(values, 'to');
    if (!to.valid) fieldErrors['to'] = 'Enter the new date as a real date, for example 21 10 2026';
    if (!values['reason']) fieldErrors['reason'] = 'Enter why the deadline moves: owners and auditors will read it';
    else if (values['reason'].length > 10_000) fieldErrors['reason'] = 'The reason must be 10,000 characters or fewer';
    const seen = versionOf(body['version']);
    if (Object.keys(fieldErrors).length > 0) return this.renderExtendForm(request, response, 400, cycle, { values, fieldErrors });
    if (seen === undefined) return this.renderExtendForm(request, response, 400, cycle, { values, errors: [{ text: 'Reload the page and enter the new deadline again.', href: '#main-content' }] });
    const extension = { deadline: deadline as Deadline, to: to.date!, reason: values['reason']! };
    try {
      const caller = pageCallerOf(principal, this.clock, `ExtendCycleDeadline ${cycle.id}\n${JSON.stringify(extension)}`, { ...formIdempotencyKeyOf(body), correlationId: correlationIdOf(request) });
      await this.commandBus.execute(new ExtendCycleDeadlineCommand({ cycleId: cycle.id, ifMatch: seen }, extension, caller));
    } catch (error) {
      if (error instanceof DeadlineNotLaterError) {
        const text = `The new date must be after the current ${DEADLINES[extension.deadline].toLowerCase()}, ${longDate(error.from)}`;
        return this.renderExtendForm(request, response, 400, cycle, { values, fieldErrors: { to: text } });
      }
      const fresh = await this.load(cycle.id);
      return this.refused(error, request, (errors, status) => this.renderExtendForm(request, response, status, fresh, { values, errors }));
    }
    response.redirect(303, `/app/cycles/${periodPathOf(cycle.id)}/confirmation?done=extended`);
  }

  @Get(':period/closure')
  async closeForm(@Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    const cycle = await this.loadOpen(period, request, response);
    if (!cycle) return;
    await this.renderCloseForm(request, response, 200, cycle, []);
  }

  @Post(':period/closure')
  async close(@Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const cycle = await this.loadOpen(period, request, response);
    if (!cycle) return;
    const body = (request.body ?? {}) as Body;
    const seen = versionOf(body['version']);
    if (seen === undefined) return this.renderCloseForm(request, response, 400, cycle, [{ text: 'Reload the page and close the cycle again.', href: '#main-content' }]);
    try {
      const caller = pageCallerOf(principal, this.clock, `CloseCycle ${cycle.id}`, { ...formIdempotencyKeyOf(body), correlationId: correlationIdOf(request) });
      await this.commandBus.execute(new CloseCycleCommand({ cycleId: cycle.id, ifMatch: seen }, caller));
    } catch (error) {
      const fresh = await this.load(cycle.id);
      return this.refused(error, request, (errors, status) => this.renderCloseForm(request, response, status, fresh, errors));
    }
    response.redirect(303, `/app/cycles/${periodPathOf(cycle.id)}/confirmation?done=closed`);
  }

  @Get(':period/confirmation')
  async confirmation(@Param('period') period: string, @Query('done') done: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    const cycle = await this.load(periodIdFromPath(period, 'period'));
    if (cycle.state.status === 'not_opened' || cycle.state.status === 'imported') throw new NotFoundException(`no cycle ${cycle.id}`);
    const { timetable, requestedReturns, outstandingReturnIds } = cycle.state.cycle;
    const panelTitle = { opened: `Cycle ${cycle.id} opened`, extended: 'Deadline extended', closed: `Cycle ${cycle.id} closed and published` }[done] ?? `Cycle ${cycle.id}`;
    const next =
      done === 'closed'
        ? `${outstandingReturnIds.length} of ${requestedReturns.length} returns were not approved and are recorded as outstanding. Councillors can now read the scorecard.`
        : done === 'opened'
          ? `${requestedReturns.length} returns have been requested. Their owners and key contacts are told by e-mail now (one e-mail each, listing every return asked of them), then reminded before the deadline under the cycle's reminder policy.`
          : 'The open returns now have the new due date. Their owners can see it on their returns.';
    response.type('html').send(
      this.pages.render('cycle-forms/cycle-confirmation.njk', {
        ...this.layout(request),
        pageTitle: panelTitle,
        panelTitle,
        next,
        cycleId: cycle.id,
        timetable: timetableRows(timetable),
        statusBoardHref: `/app/status-board/${periodPathOf(cycle.id)}`,
        scorecardHref: `/app/scorecards/${periodPathOf(cycle.id)}`,
        closed: cycle.state.status === 'closed',
      }),
    );
  }

  private async load(cycleId: PeriodId): Promise<{ id: PeriodId; state: CycleState; revision: bigint | null }> {
    const { state, revision } = await this.engine.executor.load(cycleStreamId(cycleId), cycleDecider);
    return { id: cycleId, state, revision };
  }

  /** The cycle behind an extend or close form; a closed one is refused before any form is shown. */
  private async loadOpen(period: string, request: WebRequest, response: Response): Promise<{ id: PeriodId; state: OpenCycle; revision: bigint | null } | undefined> {
    const cycle = await this.load(periodIdFromPath(period, 'period'));
    if (cycle.state.status === 'not_opened') throw new NotFoundException(`no cycle ${cycle.id}`);
    if (cycle.state.status === 'closed') {
      response.status(409).type('html').send(
        this.pages.render('errors/refused.njk', {
          ...this.layout(request),
          pageTitle: 'This could not be done',
          message: `The cycle ${cycle.id} has been closed and published, so its deadlines cannot change and it cannot be closed again.`,
        }),
      );
      return undefined;
    }
    return cycle as { id: PeriodId; state: OpenCycle; revision: bigint | null };
  }

  /** A refusal the person can act on: the form again, with the reason in an error summary. */
  private refused(error: unknown, request: WebRequest, again: (errors: PageError[], status: number) => void | Promise<void>): void | Promise<void> {
    if (!(error instanceof DomainError) && !(error instanceof StaleRevisionError) && !(error instanceof ConcurrentChangeError)) throw error;
    const problem = new ProblemDetailsFilter().toProblem(error, request.originalUrl);
    if (problem.status === 404 || problem.status === 403) throw error;
    return again([{ text: cycleRefusalInWords(problem), href: '#main-content' }], problem.status === 412 ? 409 : problem.status);
  }

  private renderOpenForm(request: WebRequest, response: Response, status: number, form: FormState): void {
    const values = form.values ?? {};
    const fieldErrors = form.fieldErrors ?? {};
    const order = ['cycleId', 'returnsDue', ...POLICY_FIELDS];
    response.status(status).type('html').send(
      this.pages.render('cycle-forms/open-cycle.njk', {
        ...this.layout(request),
        pageTitle: 'Open a reporting cycle',
        errors: form.errors ?? summaryInFormOrder(fieldErrors, order, { returnsDue: 'returnsDue-day' }),
        values,
        fieldErrors,
        policyFields: POLICY_FIELDS.map((name) => ({ name, label: POLICY_LABELS[name], value: values[name] ?? '', error: fieldErrors[name] })),
        idempotencyKey: `web-${randomUUID()}`,
      }),
    );
  }

  private renderExtendForm(request: WebRequest, response: Response, status: number, cycle: { id: PeriodId; state: CycleState; revision: bigint | null }, form: FormState): void {
    if (cycle.state.status === 'not_opened' || cycle.state.status === 'imported') throw new NotFoundException(`no cycle ${cycle.id}`);
    const timetable = cycle.state.cycle.timetable;
    const values = form.values ?? {};
    const fieldErrors = form.fieldErrors ?? {};
    response.status(status).type('html').send(
      this.pages.render('cycle-forms/extend-deadline.njk', {
        ...this.layout(request),
        pageTitle: `Extend a deadline of ${cycle.id}`,
        errors: form.errors ?? summaryInFormOrder(fieldErrors, ['deadline', 'to', 'reason'], { to: 'to-day' }),
        cycleId: cycle.id,
        open: cycle.state.status === 'open',
        version: String(cycle.revision),
        values,
        fieldErrors,
        deadlineItems: (Object.keys(DEADLINES) as Deadline[]).map((key) => ({ value: key, text: DEADLINES[key], hint: { text: `Now ${longDate(timetable[key])}` }, checked: values['deadline'] === key })),
        backHref: `/app/status-board/${periodPathOf(cycle.id)}`,
        idempotencyKey: `web-${randomUUID()}`,
      }),
    );
  }

  private async renderCloseForm(request: WebRequest, response: Response, status: number, cycle: { id: PeriodId; state: CycleState; revision: bigint | null }, errors: readonly PageError[]): Promise<void> {
    const board = await getStatusBoard(this.engine.readModels.db, cycle.id, { now: this.clock.now() });
    const missing = board ? stillMissing(board) : [];
    response.status(status).type('html').send(
      this.pages.render('cycle-forms/close-cycle.njk', {
        ...this.layout(request),
        pageTitle: `Close and publish ${cycle.id}`,
        errors,
        cycleId: cycle.id,
        open: cycle.state.status === 'open',
        version: String(cycle.revision),
        total: board?.returns.length ?? 0,
        notApproved: board ? board.returns.filter((r) => r.state !== 'approved').length : 0,
        missingCount: missing.length,
        backHref: `/app/status-board/${periodPathOf(cycle.id)}`,
        idempotencyKey: `web-${randomUUID()}`,
      }),
    );
  }

  private layout(request: WebRequest) {
    return { section: 'status-board', principal: layoutPrincipalOf(request.principal!), csrfToken: request.webSession!.csrfToken };
  }
}

/** Only the performance team runs cycles (the use case says so too; the page says it first). */
function performanceTeamOnly(principal: Principal): Principal {
  if (!principal.roles.includes('performance-team')) throw new ForbiddenException('only the performance team opens, extends and closes cycles');
  return principal;
}

function versionOf(value: unknown): bigint | undefined {
  return typeof value === 'string' && /^\d{1,19}$/.test(value) ? BigInt(value) : undefined;
}

/** The open-cycle form's field for a field the use case names (`timetable.returnsDue`, `reminderPolicy.x`). */
function openFormFieldOf(field: string): string {
  if (field.startsWith('timetable.')) return 'returnsDue';
  if (field.startsWith('reminderPolicy.')) {
    const name = field.slice('reminderPolicy.'.length);
    return (POLICY_FIELDS as readonly string[]).includes(name) ? name : 'remindWorkingDaysBefore';
  }
  return 'cycleId';
}

function openFormMessage(field: string, error: ValidationError): string {
  if (field === 'returnsDue') {
    const quarterEnd = /quarter ends \((\d{4}-\d{2}-\d{2})\)/.exec(error.reason)?.[1];
    return quarterEnd ? `The returns due date must be after the quarter ends on ${longDate(quarterEnd)}` : 'Enter a returns due date after the end of the quarter';
  }
  if (field === 'escalateToCltAfterWorkingDays' && /later than the DMT/.test(error.reason)) return 'Escalate to CLT later than to the DMT';
  if (field in POLICY_LABELS) return `${POLICY_LABELS[field as keyof typeof POLICY_LABELS]}: enter a whole number of working days from 1 to 60, each once`;
  return 'Enter the quarter as the financial year and quarter, for example 2026/27-Q3';
}

/** A cycle's refusals in words (the return pages' wording speaks of returns). */
function cycleRefusalInWords(problem: { code: string; currentState?: string; status: number }): string {
  switch (problem.code) {
    case 'illegal_transition':
      return problem.currentState === 'closed' ? 'This cycle has been closed and published, so it cannot change.' : 'This cannot be done to the cycle now.';
    case 'concurrent_change':
    case 'stale_version':
      return 'Someone else changed this cycle while you were looking at it. Check the dates below and try again.';
    default:
      return plainEnglishOf(problem);
  }
}

function timetableRows(timetable: CycleTimetable) {
  return [
    { key: { text: 'Returns due' }, value: { text: longDate(timetable.returnsDue) } },
    { key: { text: 'DMT review deadline' }, value: { text: longDate(timetable.dmtReviewDeadline) } },
    { key: { text: 'CLT' }, value: { text: longDate(timetable.cltDate) } },
    { key: { text: 'Publication' }, value: { text: longDate(timetable.publicationDate) } },
  ];
}
