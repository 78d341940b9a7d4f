/**
 * Real figures from a unitary council's 2024/25 mid-year performance update (seeds/000): green
 * target, amber target, the June and September values, and the status and direction of travel the
 * council printed. Our rules must reach the same verdicts.
 */
import type { Polarity } from '../kpi/kpi-attributes';
import { comparisonPeriods, directionOfTravel } from './direction-of-travel';
import { rate } from './rate';

type Printed = 'On track' | 'Monitor' | 'Action required';
type Row = [measure: string, polarity: Polarity, green: string, amber: string, jun: string, sep: string, status: Printed, dot: string];

// Thousands separators removed; DoT arrows: ↑ improving, ↓ declining, blank no change.
const rows: Row[] = [
  ['% major planning decisions overturned at appeal', 'lower_is_better', '0.8', '5.0', '1.56', '2.86', 'Monitor', 'declining'],
  ['% non-major planning decisions overturned at appeal', 'lower_is_better', '0.9', '5.0', '0.80', '0.92', 'Monitor', 'declining'],
  ['% major development applications decided in time', 'higher_is_better', '88.6', '80', '92.2', '92.86', 'On track', 'improving'],
  ['% non-major development applications decided in time', 'higher_is_better', '85.1', '80', '93.6', '93.72', 'On track', 'improving'],
  ['% household waste reused, recycled or composted', 'higher_is_better', '33.2', '29.5', '27.5', '27.3', 'Action required', 'declining'],
  ['Nitrogen dioxide, Lewes Road', 'lower_is_better', '36.7', '40', '35.5', '35.2', 'On track', 'improving'],
  ['Nitrogen dioxide, North Street', 'lower_is_better', '33.5', '35.2', '31.9', '31.6', 'On track', 'improving'],
  ['Nitrogen dioxide, Wellington Road', 'lower_is_better', '32.1', '33.8', '27.0', '25.7', 'On track', 'improving'],
  ['% streets with heavy litter (rolling year)', 'lower_is_better', '4.9', '5.8', '5.6', '5.3', 'Monitor', 'improving'],
  ['% streets with heavy litter (quarter only)', 'lower_is_better', '4.9', '5.8', '4.4', '4.8', 'On track', 'declining'],
  ['Missed collections per 100,000', 'lower_is_better', '512', '615', '592', '611', 'Monitor', 'declining'],
  ['Residual household waste per household', 'lower_is_better', '531', '541', '562.3', '558.84', 'Action required', 'improving'],
  ['% council homes meeting Decent Homes', 'higher_is_better', '100', '96.3', '97.9', '97.9', 'Monitor', 'no_change'],
  ['% homelessness cases at prevention stage', 'higher_is_better', '50', '40', '35.5', '29.87', 'Action required', 'declining'],
  ['% prevention cases with a successful outcome', 'higher_is_better', '55', '45', '64.29', '64.31', 'On track', 'improving'],
  ['% HMOs meeting all special conditions', 'higher_is_better', '55', '50', '44.9', '45.47', 'Action required', 'improving'],
  ['% routine repairs completed on time', 'higher_is_better', '70', '58', '46.8', '50.4', 'Action required', 'improving'],
  ['Additional affordable homes delivered', 'higher_is_better', '78', '59', '78', '90', 'On track', 'improving'],
  ['Households in temporary accommodation', 'lower_is_better', '1770', '1870', '1788', '1838', 'Monitor', 'declining'],
  ['% rent collected from current tenants', 'higher_is_better', '95.4', '94.9', '92.3', '92.90', 'Action required', 'improving'],
  ['% families with a positive change (Family Hubs)', 'higher_is_better', '91', '81', '88', '88', 'Monitor', 'no_change'],
  ['% EHCPs issued within 20 weeks', 'higher_is_better', '57.1', '45.8', '80.2', '76.5', 'On track', 'declining'],
  ['% social care clients receiving direct payments', 'higher_is_better', '24.1', '21.4', '23.4', '22.94', 'Monitor', 'declining'],
  ['Adults in community support (% of long-term)', 'higher_is_better', '70', '65', '69.77', '69.79', 'Monitor', 'improving'],
  ['Attendances at council sports facilities', 'higher_is_better', '1569970', '1412973', '1605586', '1656561', 'On track', 'improving'],
  ['Working days lost to sickness per FTE', 'lower_is_better', '10.9', '11.56', '11.99', '11.81', 'Action required', 'improving'],
  ['% high-priority audit actions implemented', 'higher_is_better', '95', '90', '97.4', '83.3', 'Action required', 'declining'],
];

describe('figures a council published (2024/25 mid-year)', () => {
  it.each(rows)('%s: rates %#', (_measure, polarity, green, amber, _jun, sep, printed) => {
    const rating = rate(sep, { kind: 'thresholds', green, amber }, { polarity, labels: 'on_track_monitor_action', financialYear: '2024/25' });
    expect(rating.label).toBe(printed);
  });

  it.each(rows)('%s: direction of travel', (_measure, polarity, _green, _amber, jun, sep, _printed, dot) => {
    expect(directionOfTravel(sep, jun, polarity)).toBe(dot);
  });

  it('reads trackers by their trend only (children in care 340 → 339, rough sleepers 37 → 51)', () => {
    const ctx = { polarity: 'lower_is_better' as const, labels: 'on_track_monitor_action' as const, financialYear: '2024/25' };
    expect(rate('339', { kind: 'tracker' }, ctx)).toMatchObject({ status: null, noStatusReason: 'tracker' });
    expect(directionOfTravel('339', '340', 'lower_is_better')).toBe('improving');
    expect(directionOfTravel('51', '37', 'lower_is_better')).toBe('declining');
  });

  it('compares a six-monthly KPI with its previous half year, skipping June (disability 9.1% → 9.8%)', () => {
    const periods = comparisonPeriods('2024/25-H1', 'six_monthly', 'snapshot');
    expect(periods.previous).toBe('2023/24-H2'); // the March 2024 figure
    const figures: Record<string, string> = { '2023/24-H2': '9.1', '2024/25-H1': '9.8' };
    expect(directionOfTravel(figures['2024/25-H1'], figures[periods.previous!], 'higher_is_better')).toBe('improving');
    const ctx = { polarity: 'higher_is_better' as const, labels: 'on_track_monitor_action' as const, financialYear: '2024/25' };
    expect(rate('9.8', { kind: 'thresholds', green: '11.70', amber: '9.36' }, ctx).label).toBe('Monitor');
    expect(rate('9.0', { kind: 'thresholds', green: '13.10', amber: '10.48' }, ctx).label).toBe('Action required');
    expect(directionOfTravel('9.0', '9.0', 'higher_is_better')).toBe('no_change');
  });
});
