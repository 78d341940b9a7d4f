/**
 * Ready-made commands contexts and register entries for tests across the project. Values are
 * realistic (a council's adult social care KPI) so failures read like the domain.
 */
import type { KpiDescription, KpiSnapshot } from '../kpi/kpi-attributes';
import type { CommandContext, Role } from '../shared/command-context';
import type { ReturnKpiSnapshot } from '../return/return.events';

export const NOW = '2024-10-07T09:30:00.000Z';

export function contextOf(actor: string, ...roles: Role[]): CommandContext {
  return { actor, roles, now: NOW };
}

export const performanceTeam = contextOf('p.officer', 'performance-team');
export const serviceLead = contextOf('s.lead', 'service-lead');
export const dmt = contextOf('d.director', 'dmt');
export const auditor = contextOf('a.auditor', 'auditor');

export const ascDescription: KpiDescription = {
  title: '% of social care clients receiving direct payments',
  definition: 'Adults receiving long-term community support who receive a direct payment, as a % of all such adults.',
  directorate: 'Health, Care and Wellbeing',
  serviceArea: 'Adult Social Care',
  planOutcome: '3.2 A healthy city where people thrive',
  unit: 'percentage',
  decimalPlaces: 2,
  polarity: 'higher_is_better',
  frequency: 'quarterly',
  measureType: 'snapshot',
  dataSource: 'Case management system, month-end extract',
  limitations: '',
  benchmarkSources: ['national average', 'statistical neighbours'],
  labels: 'on_track_monitor_action',
};

export function kpiSnapshot(overrides: Partial<KpiSnapshot> = {}): KpiSnapshot {
  return {
    kpiId: 'ASC-01',
    title: ascDescription.title,
    directorate: ascDescription.directorate,
    owner: 's.lead',
    keyContacts: ['k.contact'],
    unit: ascDescription.unit,
    decimalPlaces: ascDescription.decimalPlaces,
    polarity: ascDescription.polarity,
    frequency: ascDescription.frequency,
    measureType: ascDescription.measureType,
    labels: ascDescription.labels,
    retiredFrom: null,
    ...overrides,
  };
}

export function returnKpiSnapshot(overrides: Partial<ReturnKpiSnapshot> = {}): ReturnKpiSnapshot {
  const { kpiId: _kpiId, retiredFrom: _retiredFrom, annualDueQuarter: _due, ...snapshot } = kpiSnapshot();
  return { ...snapshot, ...overrides };
}
