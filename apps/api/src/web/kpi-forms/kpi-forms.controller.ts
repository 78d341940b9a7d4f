import { Controller, ForbiddenException, Get, NotFoundException, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { localDateOf } from '@quarterly/calendar';
import {
  AlreadyExistsError,
  DomainError,
  financialYearOf,
  formatFinancialYear,
  KpiIdClashError,
  kpiDecider,
  kpiStreamId,
  parseFinancialYear,
  ValidationError,
  type FinancialYear,
  type KpiDescription,
  type KpiRecord,
  type PeriodId,
  type RatingPolicy,
} from '@quarterly/domain';
import { Clock, ConcurrentChangeError, correlationIdOf, ProblemDetailsFilter, Public, QuarterlyEngine, StaleRevisionError, type Principal } from '@quarterly/platform';
import { listPeople, readRegisterFacts } from '@quarterly/read-models';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { plainEnglishOf, type PageError } from '../../shared/plain-english';
import { summaryInFormOrder } from '../shared/form-errors';
import { KpiRegisterGateway, type PageKpiAction } from '../shared/kpi-register.gateway';
import { formIdempotencyKeyOf, formTextFields } from '../shared/page-caller';
import { PageRenderer } from '../shared/page-renderer';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { typedFigureReader } from '../shared/typed-figure';
import {
  AMENDMENT_FIELDS,
  changedValuesOf,
  DESCRIPTION_FIELDS,
  domainValuesOf,
  blankRequiredFields,
  fieldErrorOf,
  formValuesOf,
  IDENTITY_FIELDS,
  OPTIONAL_REASON_FIELDS,
  OWNERSHIP_FIELDS,
  POLICY_FIELDS,
  POLICY_KIND_WORDS,
  POLICY_KINDS,
  policyFieldName,
  policyFormValues,
  policyFromForm,
  RETIREMENT_FIELDS,
  targetsFormFields,
  type FormField,
  type FormValues,
} from './kpi-form-fields';

type Body = Record<string, unknown>;
type Fields = Readonly<Record<string, FormField>>;
type LiveKpi = { readonly kpi: KpiRecord; readonly status: 'active' | 'retired'; readonly revision: bigint | null };

/** What one KPI form is: its fields (from kpi-form-fields.ts), its wording and where it goes back to. */
interface FormSpec {
  readonly heading: string;
  readonly caption?: string;
  readonly intro?: readonly string[];
  readonly sections: ReadonlyArray<{ readonly heading?: string; readonly fields: Fields }>;
  readonly submitText: string;
  readonly warning?: string;
  readonly backText: string;
  readonly backHref: string;
}

interface FormState {
  readonly values: FormValues;
  readonly fieldErrors?: Readonly<Record<string, string>>;
  readonly anchors?: Readonly<Record<string, string>>;
  readonly errors?: readonly PageError[];
  readonly version?: bigint | null;
  readonly refusal?: string;
}

/**
 * The performance team's register forms: define a KPI, change its definition (with a reason, and
 * optionally a quality-assurance period), set a financial year's targets, change its owner and
 * key contacts, retire it. Each sends the same use case as the JSON API through
 * {@link KpiRegisterGateway}; a field the domain refuses comes back on its field (the
 * `ValidationError`'s field mapped by kpi-form-fields.ts), a version that moved on or a retired
 * KPI as a plain-English 409, and nothing is written. Success redirects to the KPI's page.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/kpis')
export class KpiFormsController {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly register: KpiRegisterGateway,
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
  ) {}

  // ---- define ---------------------------------------------------------------------------------

  @Get('new')
  async defineForm(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    await this.render(request, response, 200, this.defineSpec(), { values: { decimalPlaces: '1', labels: 'green_amber_red' } });
  }

  @Post('new')
  async define(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    const spec = this.defineSpec();
    const kpiId = values['kpiId'] ?? '';
    const { owner, keyContacts } = domainValuesOf(OWNERSHIP_FIELDS, values) as { owner?: string; keyContacts: string[] };
    const definition = { ...(domainValuesOf(DESCRIPTION_FIELDS, values) as unknown as KpiDescription), owner: owner ?? '', keyContacts };
    await this.send(request, response, spec, { values }, principal, kpiId, { type: 'DefineKpi', data: definition }, body, (error) => {
      if (error instanceof AlreadyExistsError) return { kpiId: `${kpiId} is already in the register. Choose another reference, or change that indicator.` };
      if (error instanceof KpiIdClashError) return { kpiId: `${error.existingKpiId} is already in the register: references differ by more than capital letters. Choose another reference.` };
      return undefined;
    });
  }

  // ---- change the definition --------------------------------------------------------------------

  @Get(':kpiId/definition')
  async amendForm(@Param('kpiId') kpiId: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    const live = await this.load(kpiId);
    await this.render(request, response, 200, this.amendSpec(live.kpi), { values: formValuesOf(DESCRIPTION_FIELDS, live.kpi as unknown as Record<string, unknown>), ...this.current(live) });
  }

  @Post(':kpiId/definition')
  async amend(@Param('kpiId') kpiId: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const live = await this.load(kpiId);
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    const spec = this.amendSpec(live.kpi);
    const changes = changedValuesOf(DESCRIPTION_FIELDS, values, live.kpi as unknown as Record<string, unknown>);
    if (Object.keys(changes).length === 0) {
      return this.render(request, response, 400, spec, { values, version: versionOf(body), fieldErrors: { title: 'Change at least one thing about the indicator, or go back' } });
    }
    const { reason, underQualityAssuranceUntil } = domainValuesOf(AMENDMENT_FIELDS, values) as { reason?: string; underQualityAssuranceUntil?: PeriodId };
    const amendment = { changes: changes as Partial<KpiDescription>, reason: reason ?? '', ...(underQualityAssuranceUntil ? { underQualityAssuranceUntil } : {}) };
    await this.send(request, response, spec, { values, version: versionOf(body) }, principal, live.kpi.kpiId, { type: 'AmendKpiDefinition', data: amendment }, body);
  }

  // ---- targets for a financial year ---------------------------------------------------------------

  @Get(':kpiId/targets')
  async targetsForm(@Param('kpiId') kpiId: string, @Query('year') year: string | undefined, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    const live = await this.load(kpiId);
    const financialYear = typeof year === 'string' && tryFinancialYear(year) ? year : this.nextFinancialYear();
    const policy: RatingPolicy | null = live.kpi.policies[financialYear] ?? null;
    await this.render(request, response, 200, this.targetsSpec(live.kpi), { values: { financialYear, ...policyFormValues(policy) }, ...this.current(live) });
  }

  @Post(':kpiId/targets')
  async setTargets(@Param('kpiId') kpiId: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const live = await this.load(kpiId);
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    const spec = this.targetsSpec(live.kpi);
    const { reason } = domainValuesOf(OPTIONAL_REASON_FIELDS, values) as { reason?: string };
    const data = { financialYear: values['financialYear'] ?? '', policy: policyFromForm(values, typedFigureReader(live.kpi)) as unknown as RatingPolicy, ...(reason ? { reason } : {}) };
    await this.send(request, response, spec, { values, version: versionOf(body) }, principal, live.kpi.kpiId, { type: 'SetKpiTargetPolicy', data }, body);
  }

  // ---- ownership ----------------------------------------------------------------------------------

  @Get(':kpiId/ownership')
  async ownershipForm(@Param('kpiId') kpiId: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    const live = await this.load(kpiId);
    await this.render(request, response, 200, this.ownershipSpec(live.kpi), { values: formValuesOf(OWNERSHIP_FIELDS, live.kpi as unknown as Record<string, unknown>), ...this.current(live) });
  }

  @Post(':kpiId/ownership')
  async changeOwnership(@Param('kpiId') kpiId: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const live = await this.load(kpiId);
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    const { owner, keyContacts, reason } = domainValuesOf({ ...OWNERSHIP_FIELDS, ...OPTIONAL_REASON_FIELDS }, values) as { owner?: string; keyContacts: string[]; reason?: string };
    const data = { owner: owner ?? '', keyContacts, ...(reason ? { reason } : {}) };
    await this.send(request, response, this.ownershipSpec(live.kpi), { values, version: versionOf(body) }, principal, live.kpi.kpiId, { type: 'ChangeKpiOwnership', data }, body);
  }

  // ---- retire -------------------------------------------------------------------------------------

  @Get(':kpiId/retirement')
  async retireForm(@Param('kpiId') kpiId: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    const live = await this.load(kpiId);
    await this.render(request, response, 200, this.retireSpec(live.kpi), { values: {}, ...this.current(live) });
  }

  @Post(':kpiId/retirement')
  async retire(@Param('kpiId') kpiId: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const live = await this.load(kpiId);
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    const { reason, effectiveFrom } = domainValuesOf(RETIREMENT_FIELDS, values) as { reason?: string; effectiveFrom?: PeriodId };
    const data = { reason: reason ?? '', effectiveFrom: (effectiveFrom ?? '') as PeriodId };
    await this.send(request, response, this.retireSpec(live.kpi), { values, version: versionOf(body) }, principal, live.kpi.kpiId, { type: 'RetireKpi', data }, body);
  }

  // ---- the forms ----------------------------------------------------------------------------------

  private defineSpec(): FormSpec {
    return {
      heading: 'Define a KPI',
      intro: ['The indicator joins the register now; its owner is asked for a figure from the next cycle that is due. Set its targets afterwards.'],
      sections: [{ fields: IDENTITY_FIELDS }, { heading: 'What it measures', fields: DESCRIPTION_FIELDS }, { heading: 'Who answers for it', fields: OWNERSHIP_FIELDS }],
      submitText: 'Define the KPI',
      backText: 'Back to the register',
      backHref: '/app/kpis',
    };
  }

  private amendSpec(kpi: KpiRecord): FormSpec {
    return {
      heading: 'Change the definition',
      caption: `${kpi.kpiId} ${kpi.title}`,
      intro: ['Only what you change is recorded, with your reason. Figures already reported keep the definition they were reported under.'],
      sections: [{ fields: DESCRIPTION_FIELDS }, { heading: 'Why', fields: AMENDMENT_FIELDS }],
      submitText: 'Save the change',
      ...this.backToKpi(kpi),
    };
  }

  private targetsSpec(kpi: KpiRecord): FormSpec {
    return {
      heading: 'Set the targets for a year',
      caption: `${kpi.kpiId} ${kpi.title}`,
      intro: ['Figures are rated with the targets of their own financial year, so setting next year’s targets never re-rates this year’s figures.'],
      sections: [{ fields: targetsFormFields(this.yearOptions(kpi)) }],
      submitText: 'Save the targets',
      ...this.backToKpi(kpi),
    };
  }

  private ownershipSpec(kpi: KpiRecord): FormSpec {
    return {
      heading: 'Change the owner or key contacts',
      caption: `${kpi.kpiId} ${kpi.title}`,
      intro: ['Reminders for returns still open go to the new owner and key contacts.'],
      sections: [{ fields: { ...OWNERSHIP_FIELDS, ...OPTIONAL_REASON_FIELDS } }],
      submitText: 'Save the change',
      ...this.backToKpi(kpi),
    };
  }

  private retireSpec(kpi: KpiRecord): FormSpec {
    return {
      heading: 'Retire this KPI',
      caption: `${kpi.kpiId} ${kpi.title}`,
      intro: ['No return is requested from the quarter you give. Its history stays in the register and the scorecards that reported it.'],
      sections: [{ fields: RETIREMENT_FIELDS }],
      submitText: 'Retire the KPI',
      warning: 'A retired KPI cannot be changed again.',
      ...this.backToKpi(kpi),
    };
  }

  private backToKpi(kpi: KpiRecord) {
    return { backText: `Back to ${kpi.kpiId}`, backHref: `/app/kpis/${encodeURIComponent(kpi.kpiId)}` };
  }

  /** This financial year, the next two, and every year already holding targets. */
  private yearOptions(kpi: KpiRecord) {
    const thisYear = parseFinancialYear(financialYearOf(localDateOf(this.clock.now())));
    const years = new Set<FinancialYear>([...Object.keys(kpi.policies), ...[0, 1, 2].map((n) => formatFinancialYear(thisYear + n))]);
    return [...years].sort().map((year) => ({ value: year, text: kpi.policies[year] ? `${year} (has targets)` : year }));
  }

  private nextFinancialYear(): FinancialYear {
    return formatFinancialYear(parseFinancialYear(financialYearOf(localDateOf(this.clock.now()))) + 1);
  }

  // ---- sending and refusing -----------------------------------------------------------------------

  /**
   * Sends the form's action; on success redirects to the KPI's page, on a refusal renders the form
   * again: a domain `ValidationError` on its field, `onConflict`'s field messages, or an error
   * summary in plain English.
   */
  private async send(
    request: WebRequest,
    response: Response,
    spec: FormSpec,
    form: FormState,
    principal: Principal,
    kpiId: string,
    action: PageKpiAction,
    body: Body,
    onConflict: (error: unknown) => Record<string, string> | undefined = () => undefined,
  ): Promise<void> {
    const seen = form.version;
    if (action.type !== 'DefineKpi' && seen === undefined) {
      return this.render(request, response, 400, spec, { ...form, errors: [{ text: 'Reload the page and make the change again.', href: '#main-content' }] });
    }
    // Every required field left blank at once (a target form's fields depend on the kind chosen:
    // the domain names those).
    const blank = action.type === 'SetKpiTargetPolicy' ? {} : blankRequiredFields(allFields(spec), form.values);
    if (Object.keys(blank).length > 0) return this.render(request, response, 400, spec, { ...form, fieldErrors: blank });
    try {
      await this.register.execute(principal, kpiId, action, { ...formIdempotencyKeyOf(body), correlationId: correlationIdOf(request), ...(seen !== undefined && seen !== null ? { ifMatch: seen } : {}) });
    } catch (error) {
      const fields = allFields(spec);
      if (error instanceof ValidationError) {
        const mapped = fieldErrorOf(error.field, error.reason, fields, form.values['kind']);
        if (mapped) return this.render(request, response, 400, spec, { ...form, fieldErrors: { [mapped.field]: mapped.message }, anchors: { [mapped.field]: mapped.anchor } });
        return this.render(request, response, 400, spec, { ...form, errors: [{ text: `Check what you entered: ${error.field} ${error.reason}`, href: '#main-content' }] });
      }
      const onField = onConflict(error);
      if (onField) return this.render(request, response, 409, spec, { ...form, fieldErrors: onField });
      if (!(error instanceof DomainError) && !(error instanceof StaleRevisionError) && !(error instanceof ConcurrentChangeError)) throw error;
      const problem = new ProblemDetailsFilter().toProblem(error, request.originalUrl);
      if (problem.status === 404 || problem.status === 403) throw error;
      const fresh = action.type === 'DefineKpi' ? undefined : await this.load(kpiId).catch(() => undefined);
      return this.render(request, response, problem.status === 412 ? 409 : problem.status, spec, {
        ...form,
        ...(fresh ? { version: fresh.revision } : {}),
        errors: [{ text: kpiRefusalInWords(problem, fresh), href: '#main-content' }],
      });
    }
    const done = { DefineKpi: 'defined', AmendKpiDefinition: 'amended', SetKpiTargetPolicy: 'targets', ChangeKpiOwnership: 'ownership', RetireKpi: 'retired' }[action.type];
    response.redirect(303, `/app/kpis/${encodeURIComponent(kpiId)}?done=${done}`);
  }

  private async render(request: WebRequest, response: Response, status: number, spec: FormSpec, form: FormState): Promise<void> {
    const fieldErrors = form.fieldErrors ?? {};
    const fields = allFields(spec);
    const suggestionLists = await this.suggestionListsFor(fields);
    response.status(status).type('html').send(
      this.pages.render('kpi-forms/kpi-form.njk', {
        section: 'kpis',
        principal: layoutPrincipalOf(request.principal!),
        csrfToken: request.webSession!.csrfToken,
        pageTitle: spec.caption ? `${spec.heading}: ${spec.caption}` : spec.heading,
        heading: spec.heading,
        caption: spec.caption,
        intro: spec.intro ?? [],
        warning: spec.warning,
        submitText: spec.submitText,
        backText: spec.backText,
        backHref: spec.backHref,
        refusal: form.refusal,
        version: form.version === undefined || form.version === null ? '' : String(form.version),
        errors: form.errors ?? summaryInFormOrder(fieldErrors, Object.keys(fields), { ...radioAnchors(fields), ...form.anchors }),
        sections: spec.sections.map((s) => ({ heading: s.heading, fields: fieldViews(s.fields, form.values, fieldErrors) })),
        idempotencyKey: `web-${randomUUID()}`,
        suggestionLists,
      }),
    );
  }

  /** The datalists the form's fields suggest from: the register's directorates, the directory's active people. */
  private async suggestionListsFor(fields: Fields): Promise<Array<{ id: string; options: Array<{ value: string; label: string }> }>> {
    const wanted = new Set(Object.values(fields).flatMap((f) => (f.suggestions ? [f.suggestions] : [])));
    const db = this.engine.readModels.db;
    const lists = [];
    if (wanted.has('directorates')) {
      const { directorates } = await readRegisterFacts(db);
      lists.push({ id: 'directorates-suggestions', options: directorates.map((d) => ({ value: d, label: d })) });
    }
    if (wanted.has('people')) {
      const people = await listPeople(db);
      lists.push({ id: 'people-suggestions', options: people.map((p) => ({ value: p.personId, label: p.directorate ? `${p.name}, ${p.directorate}` : p.name })) });
    }
    return lists;
  }

  /** The KPI behind a change form, as its stream holds it (404 when not defined). */
  private async load(kpiId: string): Promise<LiveKpi> {
    const { state, revision } = await this.engine.executor.load(kpiStreamId(kpiId), kpiDecider);
    if (state.status === 'not_defined') throw new NotFoundException(`KPI ${kpiId} is not defined`);
    return { kpi: state.kpi, status: state.status, revision };
  }

  /** The version a change form carries, and the refusal it shows instead of a form for a retired KPI. */
  private current(live: LiveKpi): Partial<FormState> {
    return { version: live.revision, ...(live.status === 'retired' ? { refusal: retiredInWords(live.kpi) } : {}) };
  }
}

function performanceTeamOnly(principal: Principal): Principal {
  if (!principal.roles.includes('performance-team')) throw new ForbiddenException('only the performance team keeps the KPI register');
  return principal;
}

function versionOf(body: Body): bigint | undefined {
  const value = body['version'];
  return typeof value === 'string' && /^\d{1,19}$/.test(value) ? BigInt(value) : undefined;
}

function tryFinancialYear(value: string): boolean {
  try {
    parseFinancialYear(value);
    return true;
  } catch {
    return false;
  }
}

function allFields(spec: FormSpec): Fields {
  return Object.assign({}, ...spec.sections.map((s) => s.fields));
}

/** A radios group's first input is `<name>`; a range's first is `<name>-min`. */
function radioAnchors(fields: Fields): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, f]) => f.control === 'range').map(([name]) => [name, `${name}-min`]));
}

/**
 * What the field macro needs: the entry, its current text and choices, its error. A policy
 * kind's parts follow the kind's radios, each kind's in a group of its own (GOV.UK's conditional
 * reveal sets `aria-expanded` on a radio, which WCAG's ARIA rules do not allow there).
 */
function fieldViews(fields: Fields, values: FormValues, fieldErrors: Readonly<Record<string, string>>): object[] {
  const grouped = new Set<string>();
  const views: object[] = [];
  for (const [name, field] of Object.entries(fields)) {
    if (grouped.has(name)) continue;
    const value = values[name] ?? '';
    views.push({
      name,
      label: field.label,
      hint: field.hint,
      control: field.control,
      width: field.width,
      suggestions: field.suggestions,
      value,
      values: { min: values[`${name}-min`] ?? '', max: values[`${name}-max`] ?? '' },
      error: fieldErrors[name],
      items:
        field.control === 'select'
          ? [...(field.optional ? [{ value: '', text: 'None' }] : value === '' ? [{ value: '', text: 'Select one' }] : []), ...(field.options ?? [])].map((o) => ({ ...o, selected: o.value === value }))
          : (field.options ?? []).map((o) => ({ ...o, checked: o.value === value, ...(name === 'kind' ? { hint: { text: POLICY_KIND_WORDS[o.value as keyof typeof POLICY_KIND_WORDS]?.hint } } : {}) })),
    });
    if (name !== 'kind') continue;
    for (const kind of POLICY_KINDS) {
      const parts = Object.fromEntries(Object.entries(POLICY_FIELDS[kind] as Fields).map(([part, f]) => [policyFieldName(kind, part), f]));
      if (Object.keys(parts).length === 0) continue;
      Object.keys(parts).forEach((n) => grouped.add(n));
      views.push({ name: `${kind}-group`, control: 'group', label: `For ${POLICY_KIND_WORDS[kind].text.toLowerCase()}`, fields: fieldViews(parts, values, fieldErrors) });
    }
  }
  return views;
}

function retiredInWords(kpi: KpiRecord): string {
  return `${kpi.kpiId} has been retired from ${kpi.retiredFrom ?? 'an earlier quarter'}, so its register entry can no longer change.`;
}

/** A register refusal in words: what happened and what to do, never a code. */
function kpiRefusalInWords(problem: { code: string; currentState?: string; status: number }, fresh: LiveKpi | undefined): string {
  switch (problem.code) {
    case 'kpi_retired':
      return fresh ? retiredInWords(fresh.kpi) : 'This indicator has been retired, so its register entry can no longer change.';
    case 'stale_version':
    case 'concurrent_change':
      return 'Someone else changed this indicator while you were looking at it, so nothing was saved. Check its entry and make your change again.';
    default:
      return plainEnglishOf(problem);
  }
}
