import { Controller, ForbiddenException, Get, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { localDateOf } from '@quarterly/calendar';
import { financialYearOf, TARGET_PERIODS, ValidationError } from '@quarterly/domain';
import { Clock, Public, QuarterlyEngine } from '@quarterly/platform';
import { listKpis, listPeople, type KpiView } from '@quarterly/read-models';
import type { Response } from 'express';
import { targetInWords } from '../../scorecards/scorecard-table';
import { readsPublishedOnly } from '../../shared/published-cycles';
import { PageRenderer } from '../shared/page-renderer';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';

const FREQUENCIES = [
  { value: 'monthly', text: 'Monthly' },
  { value: 'quarterly', text: 'Quarterly' },
  { value: 'six_monthly', text: 'Six-monthly' },
  { value: 'annual', text: 'Annual' },
];
const POLICIES = [
  { value: 'thresholds', text: 'Green and amber thresholds' },
  { value: 'tolerance', text: 'Target with tolerance' },
  { value: 'met_not_met', text: 'Met or not met' },
  { value: 'direction', text: 'Direction of travel' },
  { value: 'tracker', text: 'Tracked only' },
  { value: 'none', text: 'No target this year' },
];
type RegisterQuery = { q?: string; directorate?: string; owner?: string; policy?: string; frequency?: string };

/** The KPI register for staff, read-only: filters by directorate, owner, this year's target policy and frequency, and a search. */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/kpis')
export class KpiRegisterPageController {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly clock: Clock,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async show(@Query() query: RegisterQuery, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    if (readsPublishedOnly(request.principal!)) throw new ForbiddenException('the KPI register is for council staff');
    const db = this.engine.readModels.db;
    const [all, people] = await Promise.all([listKpis(db), listPeople(db, { includeInactive: true })]);
    const filters = { q: text(query.q) ?? '', directorate: text(query.directorate) ?? '', owner: text(query.owner) ?? '', policy: text(query.policy) ?? '', frequency: text(query.frequency) ?? '' };
    const directorates = [...new Set(all.map((k) => k.directorate))].sort();
    const owners = [...new Set(all.map((k) => k.owner))].map((id) => ({ value: id, text: people.find((p) => p.personId === id)?.name ?? id })).sort((a, b) => a.text.localeCompare(b.text));
    if (filters.directorate && !directorates.includes(filters.directorate)) throw new ValidationError('directorate', 'must be one of the directorates listed');
    if (filters.owner && !owners.some((o) => o.value === filters.owner)) throw new ValidationError('owner', 'must be one of the owners listed');
    if (filters.policy && !POLICIES.some((p) => p.value === filters.policy)) throw new ValidationError('policy', 'must be one of the target kinds listed');
    if (filters.frequency && !FREQUENCIES.some((f) => f.value === filters.frequency)) throw new ValidationError('frequency', 'must be one of the frequencies listed');
    const year = financialYearOf(localDateOf(this.clock.now()));
    const policyOf = (kpi: KpiView) => kpi.targets.find((t) => t.financialYear === year)?.policy ?? null;
    const words = filters.q.toLowerCase();
    const shown = all.filter(
      (k) =>
        (!filters.directorate || k.directorate === filters.directorate) &&
        (!filters.owner || k.owner === filters.owner) &&
        (!filters.frequency || k.frequency === filters.frequency) &&
        (!filters.policy || (policyOf(k)?.kind ?? 'none') === filters.policy) &&
        (!words || `${k.kpiId} ${k.title} ${k.definition} ${k.serviceArea} ${k.planOutcome}`.toLowerCase().includes(words)),
    );
    const options = (list: ReadonlyArray<{ value: string; text: string }>, all: string, selected: string) =>
      [{ value: '', text: all }, ...list].map((o) => ({ ...o, selected: o.value === selected }));
    response.type('html').send(
      this.pages.render('register/kpi-register.njk', {
        pageTitle: 'KPI register',
        section: 'kpis',
        principal: layoutPrincipalOf(request.principal!),
        csrfToken: request.webSession!.csrfToken,
        model: {
          year,
          q: filters.q,
          directorateOptions: options(directorates.map((d) => ({ value: d, text: d })), 'All directorates', filters.directorate),
          ownerOptions: options(owners, 'Any owner', filters.owner),
          policyOptions: options(POLICIES, 'Any target', filters.policy),
          frequencyOptions: options(FREQUENCIES, 'Any frequency', filters.frequency),
          total: all.length,
          rows: shown.map((k) => ({
            href: `/app/kpis/${encodeURIComponent(k.kpiId)}`,
            kpiId: k.kpiId,
            title: k.title,
            directorate: k.directorate,
            owner: people.find((p) => p.personId === k.owner)?.name ?? k.owner,
            frequency: FREQUENCIES.find((f) => f.value === k.frequency)?.text ?? k.frequency,
            target: `${targetInWords(policyOf(k), k.polarity, { unit: k.unit, decimalPlaces: k.decimalPlaces, unitLabel: k.unitLabel })}${profileNote(k, year)}`,
          })),
        },
      }),
    );
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** " (with a Q1, Q2 profile)" when this year's targets have period policies. */
function profileNote(kpi: KpiView, year: string): string {
  const stated = kpi.targets.find((t) => t.financialYear === year)?.periods ?? {};
  const periods = TARGET_PERIODS.filter((period) => stated[period] !== undefined);
  return periods.length === 0 ? '' : ` (with a ${periods.join(', ')} profile)`;
}
