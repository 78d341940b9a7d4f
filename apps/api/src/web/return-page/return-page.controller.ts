import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError, formatFigure, isOffTarget, OffTargetJustificationRequiredError, ValidationError, type DecimalString, type PeriodId } from '@quarterly/domain';
import { EnglandAndWalesCalendar } from '@quarterly/calendar';
import { Clock, ConcurrentChangeError, correlationIdOf, ProblemDetailsFilter, Public, QuarterlyEngine, StaleRevisionError, type Principal } from '@quarterly/platform';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError as ClassValidationError } from 'class-validator';
import type { Response } from 'express';
import { ReasonDto, RestateReturnDto, ResubmitReturnDto, SubmitReturnDto } from '../../returns/return.dto';
import { periodIdFromPath } from '../../shared/path-params';
import { monthName, PageRenderer } from '../shared/page-renderer';
import { fieldMessage, plainEnglishOf, stateInWords, type PageError } from '../../shared/plain-english';
import { formIdempotencyKeyOf, formTextFields } from '../shared/page-caller';
import { periodPathOf, returnPagePath } from '../shared/return-paths';
import { ReturnWorkflowGateway, type PageReturnAction } from '../shared/return-workflow.gateway';
import { typedFigureReader } from '../shared/typed-figure';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { assertMayViewReturn, figureExampleFor, loadReturn, returnPageModel, type FormState, type LoadedReturn } from './return-page.view-model';

type Body = Record<string, unknown>;
type FormName = NonNullable<FormState['form']>;

const CONFIRMATIONS: Record<string, { panelTitle: string; next: string; forReviewer: boolean; forTeam?: boolean }> = {
  submitted: { panelTitle: 'Figure sent', next: 'Your directorate management team will review the figure. If they challenge it, it comes back to Your returns with their reason, and you are reminded by e-mail until you send it again.', forReviewer: false },
  resubmitted: { panelTitle: 'Revised figure sent', next: 'Your directorate management team will review the revised figure and your response.', forReviewer: false },
  'not-available': { panelTitle: 'Reported as not available', next: 'Your directorate management team will review your reason. The scorecard will show the figure as not available.', forReviewer: false },
  approved: { panelTitle: 'Figure approved', next: 'The figure will appear on the scorecard when the performance team publishes the quarter.', forReviewer: true },
  challenged: { panelTitle: 'Figure challenged', next: "The KPI's owner and key contacts are told by e-mail, with your reason, and asked to check the figure and respond; they are reminded until they do. It will come back to you for review.", forReviewer: true },
  restated: { panelTitle: 'Figure restated', next: 'Your directorate management team will review the corrected figure and your reason. Until they approve it, the scorecard keeps showing the figure approved before.', forReviewer: false },
  'due-date-moved': { panelTitle: 'Due date moved', next: 'The owner and key contacts see the new date on their return, and its reminders and chasers follow it.', forReviewer: false, forTeam: true },
  escalated: { panelTitle: 'Escalated to CLT', next: 'The corporate leadership team has been told by e-mail and will see the escalation on their page.', forReviewer: true },
};

/**
 * A return's page: what the KPI measures, earlier figures, the figure and its history, and the
 * forms this person may use in its current state. Every form posts here, goes through the same
 * command as the JSON API, and comes back as a confirmation page or the page with its errors.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/returns/:kpiId/:period')
export class ReturnPageController {
  private readonly calendar = new EnglandAndWalesCalendar();

  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly workflow: ReturnWorkflowGateway,
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
  ) {}

  @Get()
  async show(@Param('kpiId') kpiId: string, @Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const loaded = await this.load(request.principal!, kpiId, period);
    this.renderPage(request, response, 200, loaded, {});
  }

  @Get('confirmation')
  async confirmation(@Param('kpiId') kpiId: string, @Param('period') period: string, @Query('done') done: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const loaded = await this.load(request.principal!, kpiId, period);
    const confirmation = CONFIRMATIONS[done] ?? { panelTitle: 'Done', next: `The return ${stateInWords(loaded.record.status)}.`, forReviewer: false };
    // A figure just sent is repeated as the pages write it, so the sender can see what went.
    const sentFigure = SENDS_A_FIGURE.has(done) && loaded.record.currentValue !== null ? formatFigure(loaded.record.currentValue, loaded.kpi) : null;
    response.type('html').send(
      this.pages.render('return-page/confirmation.njk', {
        ...this.layout(request),
        pageTitle: confirmation.panelTitle,
        ...confirmation,
        kpiId: loaded.record.request.kpiId,
        title: loaded.kpi.title,
        period: loaded.record.request.cycleId,
        sentFigure,
        href: returnPagePath(loaded.record.request.kpiId, loaded.record.request.cycleId),
        homeHref: confirmation.forTeam ? `/app/status-board/${periodPathOf(loaded.record.request.cycleId)}` : confirmation.forReviewer ? '/app/to-review' : '/app/your-returns',
        homeText: confirmation.forTeam ? 'Back to the status board' : confirmation.forReviewer ? 'Back to your review list' : 'Back to your returns',
      }),
    );
  }

  @Post('submission')
  submit(@Param('kpiId') kpiId: string, @Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    return this.reportFigure(kpiId, period, false, request, response);
  }

  @Post('resubmission')
  resubmit(@Param('kpiId') kpiId: string, @Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    return this.reportFigure(kpiId, period, true, request, response);
  }

  @Post('not-available')
  notAvailable(@Param('kpiId') kpiId: string, @Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    return this.decision(kpiId, period, 'not-available', 'not-available', request, response, (reason) => ({ type: 'MarkFigureNotAvailable', data: { reason } }), false);
  }

  @Post('approval')
  approve(@Param('kpiId') kpiId: string, @Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    return this.decision(kpiId, period, 'challenge', 'approved', request, response, () => ({ type: 'ApproveReturn', data: {} }), true, false);
  }

  @Post('challenge')
  challenge(@Param('kpiId') kpiId: string, @Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    return this.decision(kpiId, period, 'challenge', 'challenged', request, response, (reason) => ({ type: 'ChallengeReturn', data: { reason } }), true);
  }

  @Post('escalation')
  escalate(@Param('kpiId') kpiId: string, @Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    return this.decision(kpiId, period, 'escalation', 'escalated', request, response, (reason) => ({ type: 'EscalateReturn', data: { level: 'clt', reason } }), true);
  }

  @Post('restatement')
  async restate(@Param('kpiId') kpiId: string, @Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = request.principal!;
    const loaded = await this.load(principal, kpiId, period);
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    const months = loaded.record.request.expectedMonths;
    const figure = typedFigureReader(loaded.kpi);
    const input = {
      value: figure(values['restatedValue']),
      reason: values['restatementReason'] ?? '',
      ...(months.length > 0 ? { monthlyValues: months.map((month) => ({ month, value: figure(values[`restated-month-${month}`]) })) } : {}),
    };
    const form: FormState = { form: 'restatement', values };
    const fieldErrors: Record<string, string> = {};
    for (const problem of await validate(plainToInstance(RestateReturnDto, input))) {
      const figure: Record<string, string> = {};
      collectFieldErrors(problem, months, figure, figureExampleFor(loaded.kpi), 'restatement');
      for (const [field, text] of Object.entries(figure)) fieldErrors[RESTATEMENT_FIELDS[field] ?? `restated-${field}`] = text;
    }
    if (Object.keys(fieldErrors).length > 0) {
      const order = (field: string) => (field.startsWith('restated-month-') ? 0 : field === 'restatedValue' ? 1 : 2);
      const errors = Object.entries(fieldErrors).sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b)).map(([field, text]) => ({ text, href: `#${field}` }));
      return this.renderPage(request, response, 400, loaded, { ...form, fieldErrors, errors });
    }
    const seen = versionOf(body['version']);
    if (seen === undefined) return this.renderPage(request, response, 400, loaded, { ...form, errors: [{ text: 'Reload the page and restate the figure again.', href: '#main-content' }] });
    try {
      await this.workflow.execute(principal, kpiId, loaded.record.request.cycleId, { type: 'RestateFigure', data: input }, { ...formIdempotencyKeyOf(body), correlationId: correlationIdOf(request), ifMatch: seen });
    } catch (error) {
      if (error instanceof StaleRevisionError || error instanceof ConcurrentChangeError) return this.changedMeanwhile(request, response, kpiId, loaded.record.request.cycleId, seen);
      if (error instanceof ValidationError) {
        const field = error.field.startsWith('monthlyValues') || error.field === 'value' ? 'restatedValue' : error.field === 'reason' ? 'restatementReason' : error.field;
        const fieldErrors = { [field]: fieldMessage(error.field.startsWith('monthlyValues') ? 'value' : error.field, error.reason, figureExampleFor(loaded.kpi), 'restatement') };
        return this.renderPage(request, response, 400, loaded, { ...form, fieldErrors, errors: [{ text: fieldErrors[field]!, href: `#${field}` }] });
      }
      return this.refused(error, request, response, loaded, form);
    }
    response.redirect(303, `${returnPagePath(kpiId, loaded.record.request.cycleId)}/confirmation?done=restated`);
  }

  private async load(principal: Principal, kpiId: string, period: string): Promise<LoadedReturn> {
    const loaded = await loadReturn(this.engine, kpiId, periodIdFromPath(period, 'period'));
    assertMayViewReturn(principal, loaded.kpi);
    return loaded;
  }

  private async reportFigure(kpiId: string, period: string, resubmit: boolean, request: WebRequest, response: Response): Promise<void> {
    const principal = request.principal!;
    const loaded = await this.load(principal, kpiId, period);
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    // A monthly KPI gives the months known: a month left blank is not sent.
    const months = loaded.record.request.expectedMonths.filter((month) => (values[`month-${month}`] ?? '').trim() !== '');
    const figure = typedFigureReader(loaded.kpi);
    const input: Record<string, unknown> = {
      value: figure(values['value']),
      ...(values['inPeriodValue'] ? { inPeriodValue: figure(values['inPeriodValue']) } : {}),
      ...(values['yearToDateValue'] ? { yearToDateValue: figure(values['yearToDateValue']) } : {}),
      commentary: values['commentary'] ?? '',
      ...(values['offTargetReason'] ? { offTargetReason: values['offTargetReason'] } : {}),
      ...(values['routeToGreen'] ? { routeToGreen: values['routeToGreen'] } : {}),
      ...(values['dataQualityNotes'] ? { dataQualityNotes: values['dataQualityNotes'] } : {}),
      ...(months.length > 0 ? { monthlyValues: months.map((month) => ({ month, value: figure(values[`month-${month}`]) })) } : {}),
      ...(resubmit ? { responseToChallenge: values['responseToChallenge'] ?? '' } : {}),
    };
    const fieldErrors: Record<string, string> = {};
    for (const problem of await validate(plainToInstance(resubmit ? ResubmitReturnDto : SubmitReturnDto, input))) {
      collectFieldErrors(problem, months, fieldErrors, figureExampleFor(loaded.kpi));
    }
    const form: FormState = { form: 'figure', values };
    if (Object.keys(fieldErrors).length > 0) {
      // Everything missing in one round: a figure that rates off target also needs its reason and
      // route to green, said now rather than after the commentary is given.
      const offTarget = fieldErrors['value'] === undefined ? await this.offTargetGaps(principal, loaded, input) : {};
      const all = { ...fieldErrors, ...offTarget };
      return this.renderPage(request, response, 400, loaded, { ...form, revealOffTarget: Object.keys(offTarget).length > 0, fieldErrors: all, errors: summaryOf(all) });
    }
    try {
      await this.workflow.execute(principal, kpiId, loaded.record.request.cycleId, { type: resubmit ? 'ResubmitReturn' : 'SubmitReturn', data: input }, { ...formIdempotencyKeyOf(body), correlationId: correlationIdOf(request) });
    } catch (error) {
      if (error instanceof OffTargetJustificationRequiredError) {
        const missing = Object.fromEntries(error.missing.map((field) => [field, fieldMessage(field)]));
        return this.renderPage(request, response, 400, loaded, { ...form, revealOffTarget: true, fieldErrors: missing, errors: summaryOf(missing) });
      }
      return this.refused(error, request, response, loaded, form);
    }
    response.redirect(303, `${returnPagePath(kpiId, loaded.record.request.cycleId)}/confirmation?done=${resubmit ? 'resubmitted' : 'submitted'}`);
  }

  /**
   * The off-target fields left blank for a figure that rates off target (none when it rates on
   * target, or cannot be rated: the submission then says why).
   */
  private async offTargetGaps(principal: Principal, loaded: LoadedReturn, input: Record<string, unknown>): Promise<Record<string, string>> {
    if (typeof input['value'] !== 'string' || input['value'] === '') return {};
    const rating = await this.workflow.rate(principal, loaded.record.request.kpiId, loaded.record.request.cycleId, input['value'] as DecimalString).catch(() => undefined);
    if (!rating || !isOffTarget(rating.status)) return {};
    const missing = (['offTargetReason', 'routeToGreen'] as const).filter((field) => !input[field]);
    return Object.fromEntries(missing.map((field) => [field, fieldMessage(field)]));
  }

  /** The reason-carrying decisions (and approval), with the version the reviewer saw. */
  private async decision(
    kpiId: string,
    period: string,
    formName: FormName,
    done: string,
    request: WebRequest,
    response: Response,
    action: (reason: string) => PageReturnAction,
    carriesVersion: boolean,
    needsReason = true,
  ): Promise<void> {
    const principal = request.principal!;
    const loaded = await this.load(principal, kpiId, period);
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    const form: FormState = { form: formName, values };
    if (needsReason) {
      const problems = await validate(plainToInstance(ReasonDto, { reason: values['reason'] ?? '' }));
      if (problems.length > 0) {
        const fieldErrors = { reason: fieldMessage('reason', undefined, undefined, formName) };
        const anchor = { 'not-available': 'notAvailableReason', challenge: 'challengeReason', escalation: 'escalationReason', figure: 'value', restatement: 'restatementReason' }[formName];
        return this.renderPage(request, response, 400, loaded, { ...form, fieldErrors, errors: [{ text: fieldErrors.reason, href: `#${anchor}` }] });
      }
    }
    const seen = carriesVersion ? versionOf(body['version']) : undefined;
    if (carriesVersion && seen === undefined) {
      return this.renderPage(request, response, 400, loaded, { ...form, errors: [{ text: 'Reload the page and review the figure again.', href: '#main-content' }] });
    }
    try {
      await this.workflow.execute(principal, kpiId, loaded.record.request.cycleId, action(values['reason'] ?? ''), { ...formIdempotencyKeyOf(body), correlationId: correlationIdOf(request), ...(seen !== undefined ? { ifMatch: seen } : {}) });
    } catch (error) {
      if ((error instanceof StaleRevisionError || error instanceof ConcurrentChangeError) && seen !== undefined) {
        return this.changedMeanwhile(request, response, kpiId, loaded.record.request.cycleId, seen);
      }
      return this.refused(error, request, response, loaded, form);
    }
    response.redirect(303, `${returnPagePath(kpiId, loaded.record.request.cycleId)}/confirmation?done=${done}`);
  }

  /** A refusal the person can act on: the page again, with the reason in an error summary. */
  private async refused(error: unknown, request: WebRequest, response: Response, loaded: LoadedReturn, form: FormState): Promise<void> {
    if (error instanceof ValidationError) {
      const field = error.field.startsWith('monthlyValues') ? 'value' : error.field;
      const fieldErrors = { [field]: fieldMessage(error.field, error.reason, figureExampleFor(loaded.kpi), form.form) };
      return this.renderPage(request, response, 400, loaded, { ...form, fieldErrors, errors: summaryOf(fieldErrors) });
    }
    if (!(error instanceof DomainError) && !(error instanceof StaleRevisionError) && !(error instanceof ConcurrentChangeError)) throw error;
    const problem = new ProblemDetailsFilter().toProblem(error, request.originalUrl);
    if (problem.status === 404) throw error;
    const fresh = await this.load(request.principal!, loaded.record.request.kpiId, loaded.record.request.cycleId.replace('/', '-'));
    return this.renderPage(request, response, problem.status, fresh, { ...form, errors: [{ text: plainEnglishOf(problem), href: '#main-content' }] });
  }

  private async changedMeanwhile(request: WebRequest, response: Response, kpiId: string, cycleId: PeriodId, seen: bigint): Promise<void> {
    const now = await this.load(request.principal!, kpiId, cycleId.replace('/', '-'));
    const changes = now.timeline.filter((entry) => BigInt(entry.revision) > seen);
    response.status(409).type('html').send(
      this.pages.render('return-page/changed-meanwhile.njk', {
        ...this.layout(request),
        pageTitle: 'This return changed while you were looking at it',
        kpiId,
        title: now.kpi.title,
        changes,
        stageInWords: stateInWords(now.record.status),
        href: returnPagePath(kpiId, cycleId),
      }),
    );
  }

  private renderPage(request: WebRequest, response: Response, status: number, loaded: LoadedReturn, form: FormState): void {
    const principal = request.principal!;
    const model = returnPageModel(loaded, principal, this.calendar.localDateOf(this.clock.now()), form);
    const isReviewer = principal.roles.includes('dmt') && !principal.roles.includes('service-lead');
    response.status(status).type('html').send(
      this.pages.render('return-page/return-page.njk', {
        ...this.layout(request),
        pageTitle: `${model.kpiId} ${model.title}`,
        errors: form.errors ?? [],
        backHref: isReviewer ? '/app/to-review' : '/app/your-returns',
        model,
      }),
    );
  }

  private layout(request: WebRequest) {
    return { principal: layoutPrincipalOf(request.principal!), csrfToken: request.webSession!.csrfToken };
  }
}

/** The confirmations of a figure sent (first, again after a challenge, restated). */
const SENDS_A_FIGURE: ReadonlySet<string> = new Set(['submitted', 'resubmitted', 'restated']);

/** The restatement form's own field names (its fields sit on the same page as the figure form's). */
const RESTATEMENT_FIELDS: Readonly<Record<string, string>> = { value: 'restatedValue', reason: 'restatementReason' };

function versionOf(value: unknown): bigint | undefined {
  return typeof value === 'string' && /^\d{1,19}$/.test(value) ? BigInt(value) : undefined;
}

/** A refusal of the form's shape, in its field's words; `example` is a figure as the page writes the KPI's. */
function collectFieldErrors(problem: ClassValidationError, months: readonly string[], into: Record<string, string>, example: string, form?: FormName): void {
  if (problem.property === 'monthlyValues') {
    for (const child of problem.children ?? []) {
      const month = months[Number(child.property)];
      if (month !== undefined) into[`month-${month}`] = `Enter the figure for ${monthName(month)}, for example ${example}`;
    }
    return;
  }
  const blank = problem.value === undefined || (typeof problem.value === 'string' && problem.value.trim() === '');
  into[problem.property] = blank && problem.property === 'value' ? 'Enter the figure' : fieldMessage(problem.property, undefined, example, form);
}

/** The error summary lists the fields in the order the form asks for them. */
function summaryOf(fieldErrors: Readonly<Record<string, string>>): PageError[] {
  const order = (field: string) => (field.startsWith('month-') ? 0 : ['value', 'commentary', 'offTargetReason', 'routeToGreen', 'responseToChallenge'].indexOf(field) + 1 || 99);
  return Object.entries(fieldErrors)
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([field, text]) => ({ text, href: `#${field}` }));
}

