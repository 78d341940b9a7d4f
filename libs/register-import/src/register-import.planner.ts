/**
 * Plans a register import: every row of the file is turned into the usual KPI and person
 * commands, decided in memory against the register and directory as they stand, so that the dry
 * run and the apply take the same decisions. A row is new, changed, unchanged or refused; a
 * refusal names the row, the column and the problem in plain English.
 */
import {
  assertDirectorateSpelling,
  assertKnownDirectorate,
  assertKpiId,
  assertNoKpiIdClash,
  directorateKey,
  assertSignInIdFree,
  isPersonId,
  kpiDecider,
  kpiStreamId,
  personDecider,
  personStreamId,
  sameJsonValue,
  type CommandContext,
  type KpiCommand,
  type KpiDescription,
  type KpiRecord,
  type KpiState,
  type PersonCommand,
  type PersonRecord,
  type PersonState,
  type RegisterFacts,
  type KpiYearTargets,
} from '@quarterly/domain';
import type { ImportProblem, RegisterFileContent, SheetRow } from './register-file.reader';
import { KPI_COLUMNS, KPI_SHEET, LIST_SEPARATOR, PEOPLE_COLUMNS, PEOPLE_SHEET, TARGET_COLUMNS, TARGETS_SHEET } from './register-template';
import { choiceProblems, KPI_CODED_COLUMNS, PEOPLE_CODED_COLUMNS, registerFileInCodes, TARGET_CODED_COLUMNS } from './register-cells';
import { POLICY_CHOICES } from './register-words';
import {
  Found,
  KPI_FIELD_COLUMNS,
  kpiFieldProblems,
  PERSON_FIELD_COLUMNS,
  personFieldProblems,
  POLICY_FIELDS,
  problemsOf,
  RowProblem,
  targetProblems,
  type KpiRowData,
  type PersonRowData,
  type YearModel,
} from './register-row-checks';

export type RowOutcome = 'new' | 'changed' | 'unchanged' | 'refused';

export interface RowReport {
  readonly sheet: string;
  readonly row: number;
  /** The KPI or person id as written in the row ('' when the cell is empty). */
  readonly id: string;
  readonly outcome: RowOutcome;
  /** The events the row leads to (KpiDefined, KpiTargetPolicySet, ...), in order. */
  readonly events: readonly string[];
}

export interface ImportSummary {
  readonly new: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly refused: number;
}

/** The commands for one stream, decided against the revision the plan read. */
export interface PlannedStream {
  readonly streamId: string;
  readonly kind: 'kpi' | 'person';
  /** The revision the stream was at when planned; null when it did not exist. */
  readonly expectedRevision: bigint | null;
  readonly commands: readonly (KpiCommand | PersonCommand)[];
}

export interface ImportPlan {
  readonly fileName: string;
  /** SHA-256 of the file's bytes, hex. */
  readonly sha256: string;
  /** The reason the events carry: the file's name and digest. */
  readonly reason: string;
  readonly rows: readonly RowReport[];
  readonly problems: readonly ImportProblem[];
  readonly summary: ImportSummary;
  /** People first (owners must exist before their KPIs are read by cycles), then KPIs. */
  readonly streams: readonly PlannedStream[];
}

/** A stream's commands while the plan is built. */
type StreamInPlan = PlannedStream & { commands: (KpiCommand | PersonCommand)[] };

/** Where a KPI stands once its KPIs-sheet row is planned: what the Targets rows decide against. */
interface KpiInPlan {
  state: KpiState;
  stream: StreamInPlan | null;
  expectedRevision: bigint | null;
  /** `null` while the KPI row is good; the row that refused it otherwise. */
  refusedRow: number | null;
}

/** What the plan decides against: each KPI and person with its revision. */
export interface CurrentRegister {
  readonly kpis: ReadonlyMap<string, { readonly state: KpiState; readonly revision: bigint }>;
  readonly people: ReadonlyMap<string, { readonly state: PersonState; readonly revision: bigint }>;
}

export interface PlanOptions {
  readonly fileName: string;
  readonly sha256: string;
  /** The importing person: their id and roles, and the moment of the import. */
  readonly context: CommandContext;
}

export function planRegisterImport(written: RegisterFileContent, current: CurrentRegister, options: PlanOptions): ImportPlan {
  // The words the pages print (`Higher is better`, `%`) in codes, figures typed as the pages write them as decimals.
  const file = registerFileInCodes(written, (kpiId) => {
    const state = current.kpis.get(kpiId)?.state;
    return state && state.status !== 'not_defined' ? state.kpi.unit : undefined;
  });
  const reason = `register import ${options.fileName} (sha256 ${options.sha256})`;
  const problems: ImportProblem[] = [...file.problems];
  const rows: RowReport[] = [];
  const streams: StreamInPlan[] = [];
  const targetRows = file.targets ?? [];
  const rowsWithFileProblems = new Set(file.problems.filter((p) => p.row !== null).map((p) => `${p.sheet}:${p.row}`));
  // A sheet whose header is wrong (a missing or unknown column) cannot be read row by row.
  const brokenSheets = new Set(file.problems.filter((p) => p.column !== null && p.row === 1).map((p) => p.sheet));
  const rowsOf = (sheet: string) => (sheet === KPI_SHEET ? file.kpis : sheet === TARGETS_SHEET ? targetRows : file.people);
  for (const sheet of brokenSheets) for (const row of rowsOf(sheet)) rowsWithFileProblems.add(`${sheet}:${row.row}`);
  // The rated figure and last-year basis of each KPI × year, as the file states them (on the KPIs
  // row or any Targets row of that year): every target of the year carries them, so importing the
  // file again decides nothing new; a row stating another value is refused.
  const { models, conflicts } = yearModelsOf(file.kpis, targetRows);

  const registerKpis = [...current.kpis.values()].flatMap(({ state }) => (state.status === 'not_defined' ? [] : [state.kpi]));
  const fileDirectorates = file.kpis.map((row) => row.cells.directorate ?? '').filter((name) => name !== '');
  const facts: RegisterFacts = {
    kpiIds: registerKpis.map((kpi) => kpi.kpiId),
    directorates: [...new Set(registerKpis.map((kpi) => kpi.directorate))],
  };
  // Directorates as the file will leave them: the register's, then new ones in first spelling.
  const directoratesAfter = [...facts.directorates];
  for (const name of fileDirectorates) {
    if (!directoratesAfter.some((known) => directorateKey(known) === directorateKey(name))) directoratesAfter.push(name);
  }
  const peopleInFile = new Set(file.people.map((row) => row.cells.personId ?? '').filter((id) => id !== ''));
  const personExists = (id: string) => peopleInFile.has(id) || current.people.get(id)?.state.status === 'active';

  const refuse = (sheet: string, row: SheetRow, id: string, error: unknown) => {
    for (const { column, problem } of problemsOf(error, KPI_FIELD_COLUMNS)) problems.push({ sheet, row: row.row, column, problem });
    rows.push({ sheet, row: row.row, id, outcome: 'refused', events: [] });
  };

  // ---- people -------------------------------------------------------------------------------
  const seenPeople = new Map<string, number>();
  // A sign-in id names one person: whoever holds it in the directory, or on an earlier row.
  const signInHolders = new Map<string, string>();
  for (const { state } of current.people.values()) {
    if (state.status !== 'not_registered' && state.person.signInId !== undefined) signInHolders.set(state.person.signInId, state.person.personId);
  }
  const seenSignInIds = new Map<string, number>();
  for (const row of file.people) {
    const id = row.cells.personId ?? '';
    if (rowsWithFileProblems.has(`${PEOPLE_SHEET}:${row.row}`)) {
      rows.push({ sheet: PEOPLE_SHEET, row: row.row, id, outcome: 'refused', events: [] });
      continue;
    }
    try {
      // Every problem of the row at once: its cells, then the directory and the rest of the file.
      const found = new Found(PERSON_FIELD_COLUMNS);
      if (!isPersonId(id)) found.add(new RowProblem('personId', id === '' ? 'the person id is empty (letters, digits, . _ @ -)' : `"${id}" is not a person id (letters, digits, . _ @ -)`));
      const earlier = seenPeople.get(id.toLowerCase());
      if (earlier !== undefined) found.add(new RowProblem('personId', `${id} is also on row ${earlier}`));
      else seenPeople.set(id.toLowerCase(), row.row);
      for (const { column, problem } of choiceProblems(row, PEOPLE_CODED_COLUMNS)) found.add(new RowProblem(column, problem));
      const data = personDataOf(row);
      if (data.signInId !== undefined) {
        const earlierRow = seenSignInIds.get(data.signInId);
        if (earlierRow !== undefined) {
          found.add(new RowProblem('signInId', `${data.signInId} is also the sign-in id on row ${earlierRow}`));
        } else {
          seenSignInIds.set(data.signInId, row.row);
          found.attempt(() => assertSignInIdFree(id, data.signInId!, signInHolders.get(data.signInId!)));
        }
      }
      if (data.directorate !== undefined) {
        found.attempt(() => assertKnownDirectorate(data.directorate!, { kpiIds: facts.kpiIds, directorates: directoratesAfter }, 'directorate'));
      }
      found.addAll(personFieldProblems(data, options.context), true);
      found.throwIfAny();
      const existing = current.people.get(id);
      const commands = personCommandsOf(id, data, existing?.state ?? personDecider.initialState, options.context, reason);
      const { events } = decideAll(personDecider, existing?.state ?? personDecider.initialState, commands);
      rows.push({ sheet: PEOPLE_SHEET, row: row.row, id, outcome: outcomeOf(existing !== undefined, events), events: events.map((e) => e.type) });
      if (commands.length > 0) streams.push({ streamId: personStreamId(id), kind: 'person', expectedRevision: existing?.revision ?? null, commands });
    } catch (error) {
      refuse(PEOPLE_SHEET, row, id, error);
    }
  }

  // ---- KPIs ---------------------------------------------------------------------------------
  const kpisInPlan = new Map<string, KpiInPlan>();
  const seenKpis = new Map<string, { id: string; row: number }>();
  const directoratesSoFar = [...facts.directorates];
  for (const row of file.kpis) {
    const id = row.cells.kpiId ?? '';
    if (rowsWithFileProblems.has(`${KPI_SHEET}:${row.row}`)) {
      rows.push({ sheet: KPI_SHEET, row: row.row, id, outcome: 'refused', events: [] });
      kpisInPlan.set(id, { state: kpiDecider.initialState, stream: null, expectedRevision: null, refusedRow: row.row });
      continue;
    }
    try {
      // Every problem of the row at once: its cells, then the register and the rest of the file.
      const found = new Found(KPI_FIELD_COLUMNS);
      const conflict = conflicts.get(`${KPI_SHEET}:${row.row}`);
      if (conflict) found.add(new RowProblem(conflict.column, conflict.problem));
      let goodId = true;
      try {
        assertKpiId(id);
      } catch {
        goodId = false;
        found.add(new RowProblem('kpiId', id === '' ? 'the KPI id is empty' : `"${id}" is not a KPI id (letters, digits, . _ -; at most 32)`));
      }
      const earlier = seenKpis.get(id.toLowerCase());
      if (goodId && earlier !== undefined) {
        found.add(
          new RowProblem(
            'kpiId',
            earlier.id === id ? `${id} is also on row ${earlier.row}` : `${id} differs only in case from ${earlier.id} on row ${earlier.row}: KPI ids are unique regardless of case`,
          ),
        );
      } else if (goodId) {
        seenKpis.set(id.toLowerCase(), { id, row: row.row });
        found.attempt(() => assertNoKpiIdClash(id, facts));
      }
      for (const { column, problem } of choiceProblems(row, KPI_CODED_COLUMNS)) found.add(new RowProblem(column, problem));
      const data = kpiDataOf(row, models, found);
      found.addAll(kpiFieldProblems(row, data, found.named()), true);
      const directorate = data.description.directorate;
      if (typeof directorate === 'string' && directorate.trim() !== '') {
        found.attempt(() => assertDirectorateSpelling(directorate, { kpiIds: [], directorates: directoratesSoFar }, 'directorate'));
        if (!directoratesSoFar.some((known) => directorateKey(known) === directorateKey(directorate))) directoratesSoFar.push(directorate);
      }
      for (const [column, person] of [['owner', data.owner] as const, ...data.keyContacts.map((c) => ['keyContacts', c] as const)]) {
        if (!isPersonId(person)) {
          found.add(new RowProblem(column, person === '' ? 'is empty: write the person id of someone in the directory or on the People sheet' : `"${person}" is not a person id (letters, digits, . _ @ -)`));
        } else if (!personExists(person)) {
          found.add(new RowProblem(column, `${person} is not an active person in the directory nor on the People sheet`));
        }
      }
      found.throwIfAny();
      const existing = current.kpis.get(id);
      const state = existing?.state ?? kpiDecider.initialState;
      const commands = kpiCommandsOf(id, data, state, options.context, reason);
      const { events, state: after } = decideAll(kpiDecider, state, commands);
      rows.push({ sheet: KPI_SHEET, row: row.row, id, outcome: outcomeOf(existing !== undefined, events), events: events.map((e) => e.type) });
      let stream: StreamInPlan | null = null;
      // Commands that decide nothing (the same targets again) leave the stream alone.
      if (events.length > 0) {
        stream = { streamId: kpiStreamId(id), kind: 'kpi', expectedRevision: existing?.revision ?? null, commands };
        streams.push(stream);
      }
      kpisInPlan.set(id, { state: after, stream, expectedRevision: existing?.revision ?? null, refusedRow: null });
    } catch (error) {
      refuse(KPI_SHEET, row, id, error);
      kpisInPlan.set(id, { state: kpiDecider.initialState, stream: null, expectedRevision: null, refusedRow: row.row });
    }
  }

  // ---- targets ------------------------------------------------------------------------------
  // The whole year's rows before the periods' (a period's policy needs its year's), else in file order.
  const yearFirst = [...targetRows].sort((a, b) => Number((a.cells.period ?? '') !== '') - Number((b.cells.period ?? '') !== '') || a.row - b.row);
  const seenTargets = new Map<string, { sheet: string; row: number }>();
  for (const row of file.kpis) {
    if ((row.cells.policy ?? '') !== '' && (row.cells.financialYear ?? '') !== '') {
      seenTargets.set(`${(row.cells.kpiId ?? '').toLowerCase()}|${row.cells.financialYear}|`, { sheet: KPI_SHEET, row: row.row });
    }
  }
  for (const row of yearFirst) {
    const id = row.cells.kpiId ?? '';
    if (rowsWithFileProblems.has(`${TARGETS_SHEET}:${row.row}`)) {
      rows.push({ sheet: TARGETS_SHEET, row: row.row, id, outcome: 'refused', events: [] });
      continue;
    }
    try {
      // Every problem of the row at once: its cells, then the register and the rest of the file.
      const found = new Found(KPI_FIELD_COLUMNS);
      const conflict = conflicts.get(`${TARGETS_SHEET}:${row.row}`);
      if (conflict) found.add(new RowProblem(conflict.column, conflict.problem));
      let inPlan: KpiInPlan | undefined;
      try {
        inPlan = kpisInPlan.get(id) ?? kpiOfRegister(id, current);
        if (inPlan.refusedRow !== null) throw new RowProblem('kpiId', `${id} is refused on row ${inPlan.refusedRow} of the ${KPI_SHEET} sheet`);
      } catch (error) {
        found.add(error);
      }
      for (const { column, problem } of choiceProblems(row, TARGET_CODED_COLUMNS)) found.add(new RowProblem(column, problem));
      const c = row.cells;
      const key = `${id.toLowerCase()}|${c.financialYear ?? ''}|${c.period ?? ''}`;
      const earlier = seenTargets.get(key);
      if (earlier) {
        found.add(new RowProblem('period', `the ${c.period ? `${c.period} ` : 'whole year\'s '}targets for ${c.financialYear} are also on row ${earlier.row} of the ${earlier.sheet} sheet`));
      } else if (inPlan && inPlan.refusedRow === null) {
        // A row whose KPI is refused holds no place: the row that names the KPI rightly is not "also" it.
        seenTargets.set(key, { sheet: TARGETS_SHEET, row: row.row });
      }
      const kpi = inPlan && inPlan.refusedRow === null && inPlan.state.status !== 'not_defined' ? inPlan.state.kpi : undefined;
      found.addAll(targetProblems(row, kpi, found.named()), true);
      found.throwIfAny();
      if (!inPlan) throw new RowProblem('kpiId', `${id} is neither in the register nor on the ${KPI_SHEET} sheet`);
      const command = targetCommandOf(id, row, models, options.context, reason);
      const before = inPlan.state;
      const existedBefore = before.status !== 'not_defined' && targetExists(before.kpi.targets[c.financialYear ?? ''], c.period ?? '');
      // A retired KPI keeps its targets: the same again is unchanged, any change is refused by the decider.
      const { events, state: after } = decideAll(kpiDecider, before.status === 'retired' && unchangedOnRetired(before, command) ? { ...before, status: 'active' as const } : before, [command]);
      rows.push({ sheet: TARGETS_SHEET, row: row.row, id, outcome: events.length === 0 ? 'unchanged' : existedBefore ? 'changed' : 'new', events: events.map((e) => e.type) });
      if (events.length > 0) {
        inPlan.state = after;
        if (!inPlan.stream) {
          inPlan.stream = { streamId: kpiStreamId(id), kind: 'kpi', expectedRevision: inPlan.expectedRevision, commands: [] };
          streams.push(inPlan.stream);
        }
        inPlan.stream.commands.push(command);
      }
      kpisInPlan.set(id, inPlan);
    } catch (error) {
      refuse(TARGETS_SHEET, row, id, error);
    }
  }

  const count = (outcome: RowOutcome) => rows.filter((row) => row.outcome === outcome).length;
  return {
    fileName: options.fileName,
    sha256: options.sha256,
    reason,
    rows: rows.sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : SHEET_ORDER.indexOf(a.sheet) - SHEET_ORDER.indexOf(b.sheet))),
    problems: problems.sort(compareProblems),
    summary: { new: count('new'), changed: count('changed'), unchanged: count('unchanged'), refused: count('refused') },
    // People before KPIs: a KPI's owner is in the directory by the time its definition lands.
    streams: [...streams.filter((s) => s.kind === 'person'), ...streams.filter((s) => s.kind === 'kpi')],
  };
}

/** The order of sheets in a report. */
const SHEET_ORDER: readonly string[] = [KPI_SHEET, TARGETS_SHEET, PEOPLE_SHEET];

/** A KPI the file does not define: as the register holds it (a KPI id unknown there is refused). */
function kpiOfRegister(id: string, current: CurrentRegister): KpiInPlan {
  const existing = current.kpis.get(id);
  if (!existing || existing.state.status === 'not_defined') {
    const other = [...current.kpis.keys()].find((known) => known.toLowerCase() === id.toLowerCase());
    if (other !== undefined) throw new RowProblem('kpiId', `${id} differs only in case from ${other} in the register: write it as ${other}`);
    throw new RowProblem('kpiId', id === '' ? 'the KPI id is empty' : `${id} is neither in the register nor on the ${KPI_SHEET} sheet`);
  }
  return { state: existing.state, stream: null, expectedRevision: existing.revision, refusedRow: null };
}

function targetExists(targets: KpiYearTargets | undefined, period: string): boolean {
  if (targets === undefined) return false;
  return period === '' || (targets.periods as Record<string, unknown>)[period] !== undefined;
}

/** Whether a target command would change nothing on a retired KPI (decided as if it were live). */
function unchangedOnRetired(state: KpiState, command: KpiCommand): boolean {
  if (state.status !== 'retired') return false;
  try {
    return kpiDecider.decide(command, { ...state, status: 'active' }).length === 0;
  } catch {
    return false;
  }
}

/**
 * The rated figure and basis stated for each KPI × year (key `kpiid|year`, id in lower case), and
 * the rows that state a different one than an earlier row (key `sheet:row`), which are refused.
 */
function yearModelsOf(
  kpiRows: readonly SheetRow[],
  targetRows: readonly SheetRow[],
): { models: Map<string, YearModel>; conflicts: Map<string, { column: string; problem: string }> } {
  const models = new Map<string, YearModel & { from: Partial<Record<keyof YearModel, string>> }>();
  const conflicts = new Map<string, { column: string; problem: string }>();
  const rows = [...kpiRows.map((row) => ({ sheet: KPI_SHEET, row })), ...targetRows.map((row) => ({ sheet: TARGETS_SHEET, row }))];
  for (const { sheet, row } of rows) {
    const year = row.cells.financialYear ?? '';
    if (year === '') continue;
    const key = `${(row.cells.kpiId ?? '').toLowerCase()}|${year}`;
    const model = models.get(key) ?? { from: {} };
    for (const field of ['ratedFigure', 'lastYearBasis'] as const) {
      const value = row.cells[field] ?? '';
      if (value === '') continue;
      if (model[field] === undefined) {
        model[field] = value;
        model.from[field] = `row ${row.row} of the ${sheet} sheet`;
      } else if (model[field] !== value && !conflicts.has(`${sheet}:${row.row}`)) {
        conflicts.set(`${sheet}:${row.row}`, { column: field, problem: `${value} differs from ${model[field]} on ${model.from[field]}: one ${field} per KPI and year` });
      }
    }
    models.set(key, model);
  }
  return { models, conflicts };
}

/** The year's stated model for a row's KPI and year, as command fields. */
function modelFor(models: ReadonlyMap<string, YearModel>, kpiId: string, financialYear: string): YearModel {
  const model = models.get(`${kpiId.toLowerCase()}|${financialYear}`);
  return {
    ...(model?.ratedFigure !== undefined ? { ratedFigure: model.ratedFigure } : {}),
    ...(model?.lastYearBasis !== undefined ? { lastYearBasis: model.lastYearBasis } : {}),
  };
}

/** A checked Targets row as the command that sets it (the decider validates every field by name). */
function targetCommandOf(kpiId: string, row: SheetRow, models: ReadonlyMap<string, YearModel>, context: CommandContext, reason: string): KpiCommand {
  const c = row.cells;
  const kind = c.policy ?? '';
  const given = POLICY_FIELDS.filter((field) => (c[field] ?? '') !== '');
  // An empty policy or year is named by `targetProblems` before a command is made.
  const financialYear = c.financialYear ?? '';
  const policy: Record<string, unknown> = { kind };
  for (const field of given) policy[field] = c[field];
  return {
    type: 'SetKpiTargetPolicy',
    kpiId,
    data: {
      financialYear,
      policy: policy as never,
      ...((c.period ?? '') === '' ? {} : { period: c.period as never }),
      ...(modelFor(models, kpiId, financialYear) as object),
      reason,
    },
    context,
  };
}

// ---- rows to commands -------------------------------------------------------------------------

const list = (text: string | undefined): string[] =>
  (text ?? '')
    .split(LIST_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** A whole number as a number; anything else as written, for the domain to refuse by name. */
const wholeNumber = (text: string): number | string => (/^\d{1,3}$/.test(text) ? Number(text) : text);

function kpiDataOf(row: SheetRow, models: ReadonlyMap<string, YearModel>, found: Found): KpiRowData {
  const c = row.cells;
  const validMin = c.validMin ?? '';
  const validMax = c.validMax ?? '';
  const description = {
    title: c.title,
    definition: c.definition,
    directorate: c.directorate,
    serviceArea: c.serviceArea,
    planOutcome: c.planOutcome,
    unit: c.unit,
    decimalPlaces: wholeNumber(c.decimalPlaces ?? ''),
    polarity: c.polarity,
    frequency: c.frequency,
    ...(c.annualDueQuarter ? { annualDueQuarter: wholeNumber(c.annualDueQuarter) } : {}),
    measureType: c.measureType,
    dataSource: c.dataSource,
    limitations: c.limitations ?? '',
    benchmarkSources: list(c.benchmarkSources),
    labels: c.labels,
    ...(validMin !== '' || validMax !== '' ? { validRange: { min: validMin === '' ? null : validMin, max: validMax === '' ? null : validMax } } : {}),
    // An empty unitLabel keeps the KPI's label, like the other optional columns.
    ...((c.unitLabel ?? '') === '' ? {} : { unitLabel: c.unitLabel }),
  } as unknown as KpiDescription;
  const kind = c.policy ?? '';
  const given = POLICY_FIELDS.filter((field) => (c[field] ?? '') !== '');
  const people = { description, owner: c.owner ?? '', keyContacts: list(c.keyContacts) };
  if (kind === '') {
    if (given.length > 0) found.add(new RowProblem('policy', `${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} given but no policy says how to use ${given.length === 1 ? 'it' : 'them'}: write the policy (${POLICY_CHOICES.map((c) => c.code).join(', ')})`));
    const stated = (['ratedFigure', 'lastYearBasis'] as const).find((field) => (c[field] ?? '') !== '');
    if (stated !== undefined) found.add(new RowProblem(stated, `${stated} is given but no policy: it belongs to the targets of the row's financial year`));
    return people;
  }
  const financialYear = c.financialYear ?? '';
  if (financialYear === '') {
    found.add(new RowProblem('financialYear', 'the financial year the targets are for is empty (write it like 2026/27)'));
    return people;
  }
  const policy: Record<string, unknown> = { kind };
  for (const field of given) policy[field] = c[field];
  return { ...people, targets: { financialYear, policy, model: modelFor(models, c.kpiId ?? '', financialYear) } };
}

function kpiCommandsOf(kpiId: string, data: KpiRowData, state: KpiState, context: CommandContext, reason: string): KpiCommand[] {
  const commands: KpiCommand[] = [];
  if (state.status === 'not_defined') {
    commands.push({ type: 'DefineKpi', kpiId, data: { ...data.description, owner: data.owner, keyContacts: data.keyContacts, reason }, context });
  } else {
    const changes = changedDescription(state.kpi, data.description);
    if (Object.keys(changes).length > 0) commands.push({ type: 'AmendKpiDefinition', kpiId, data: { changes, reason }, context });
    if (data.owner !== state.kpi.owner || !sameJsonValue(data.keyContacts, state.kpi.keyContacts)) {
      commands.push({ type: 'ChangeKpiOwnership', kpiId, data: { owner: data.owner, keyContacts: data.keyContacts, reason }, context });
    }
  }
  if (data.targets) {
    const command: KpiCommand = {
      type: 'SetKpiTargetPolicy',
      kpiId,
      data: { financialYear: data.targets.financialYear, policy: data.targets.policy as never, ...(data.targets.model as object), reason },
      context,
    };
    if (!unchangedOnRetired(state, command)) commands.push(command);
  }
  return commands;
}

/** The description fields the row changes (as written; the decider validates them by name). */
function changedDescription(kpi: KpiRecord, proposed: KpiDescription): Partial<KpiDescription> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(proposed)) {
    // An empty validMin/validMax keeps the KPI's stated range rather than dropping it.
    if (!sameJsonValue(value, kpi[key as keyof KpiRecord])) changes[key] = value;
  }
  return changes as Partial<KpiDescription>;
}

function personDataOf(row: SheetRow): PersonRowData {
  const c = row.cells;
  return {
    name: c.name ?? '',
    email: c.email ?? '',
    roles: list(c.roles),
    ...(c.directorate ? { directorate: c.directorate } : {}),
    ...(c.signInId ? { signInId: c.signInId } : {}),
  };
}

function personCommandsOf(personId: string, data: PersonRowData, state: PersonState, context: CommandContext, reason: string): PersonCommand[] {
  if (state.status === 'not_registered') {
    return [{ type: 'RegisterPerson', personId, data: { ...(data as object), reason } as never, context }];
  }
  const current: PersonRecord = state.person;
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!sameJsonValue(value, current[key as keyof PersonRecord])) changes[key] = value;
  }
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'ChangePersonDetails', personId, data: { ...changes, reason } as never, context }];
}

function decideAll<C, E extends { type: string }, S>(
  decider: { decide(command: C, state: S): E[]; evolve(state: S, event: E): S },
  initial: S,
  commands: readonly C[],
): { events: E[]; state: S } {
  let state = initial;
  const events: E[] = [];
  for (const command of commands) {
    const decided = decider.decide(command, state);
    for (const event of decided) state = decider.evolve(state, event);
    events.push(...decided);
  }
  return { events, state };
}

function outcomeOf(existed: boolean, events: readonly unknown[]): RowOutcome {
  if (!existed) return 'new';
  return events.length === 0 ? 'unchanged' : 'changed';
}

function compareProblems(a: ImportProblem, b: ImportProblem): number {
  if (a.sheet !== b.sheet) return SHEET_ORDER.indexOf(a.sheet) - SHEET_ORDER.indexOf(b.sheet);
  return (a.row ?? 0) - (b.row ?? 0) || columnIndex(a) - columnIndex(b);
}

/** Problems of a row in the order of the template's columns (the row as a whole first). */
function columnIndex(problem: ImportProblem): number {
  if (problem.column === null) return -1;
  const columns = problem.sheet === KPI_SHEET ? KPI_COLUMNS : problem.sheet === TARGETS_SHEET ? TARGET_COLUMNS : PEOPLE_COLUMNS;
  return columns.findIndex((c) => c.name === problem.column);
}
