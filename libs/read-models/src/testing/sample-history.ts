import { RatingPolicy } from '@quarterly/domain';
import { EventScript, ratingOf } from './event-script';

export const GREEN_95: RatingPolicy = { kind: 'thresholds', green: '95', amber: '90' };
export const FEWER_DELAYS: RatingPolicy = { kind: 'thresholds', green: '10', amber: '12' };

/**
 * A small council's year and a half: people, three KPIs with targets, cycles 2024/25 Q1–Q4 and
 * 2025/26 Q1, with challenges, a "not available", escalation, reminders, chasers, a restatement
 * and a deadline extension. Enough to exercise every projection.
 */
export function sampleCouncilHistory(): EventScript {
  const s = new EventScript();
  s.at('2024-04-01T09:00:00Z')
    .person('p.officer', 'Pat Officer', ['performance-team'])
    .person('s.lead', 'Sam Lead', ['service-lead'], 'Health, Care and Wellbeing')
    .person('d.director', 'Dee Director', ['dmt'], 'Health, Care and Wellbeing')
    .kpi('ASC-01')
    .kpi('ASC-02', {
      title: 'Delayed transfers of care per 100,000',
      polarity: 'lower_is_better',
      unit: 'rate_per_100000',
    })
    .kpi('ENV-01', {
      title: 'Calls to the environmental hotline',
      directorate: 'Place',
      serviceArea: 'Environment',
      planOutcome: '1.2.1 Keep our city clean',
      polarity: 'none',
      unit: 'count',
      decimalPlaces: 0,
    }, 'e.lead', ['e.lead'])
    .target('ASC-01', '2024/25', GREEN_95)
    .target('ASC-02', '2024/25', FEWER_DELAYS)
    .target('ENV-01', '2024/25', { kind: 'tracker' });

  const all = ['ASC-01', 'ASC-02', 'ENV-01'];
  const fy = '2024/25';
  // Q1: everything approved first time.
  s.at('2024-07-01T08:00:00Z').openCycle('2024/25-Q1', all, '2024-07-19');
  s.at('2024-07-15T10:00:00Z')
    .remind('ASC-01', '2024/25-Q1', '2024-07-19')
    .submit('ASC-01', '2024/25-Q1', '94.0', ratingOf('amber', fy, GREEN_95))
    .submit('ASC-02', '2024/25-Q1', '11.5', ratingOf('amber', fy, FEWER_DELAYS))
    .submit('ENV-01', '2024/25-Q1', '1520', ratingOf(null, fy, { kind: 'tracker' }), 'e.lead');
  s.at('2024-07-24T14:00:00Z')
    .approve('ASC-01', '2024/25-Q1', '94.0', ratingOf('amber', fy, GREEN_95))
    .approve('ASC-02', '2024/25-Q1', '11.5', ratingOf('amber', fy, FEWER_DELAYS))
    .approve('ENV-01', '2024/25-Q1', '1520', ratingOf(null, fy, { kind: 'tracker' }));
  s.at('2024-08-30T09:00:00Z').closeCycle('2024/25-Q1');

  // Q2: a challenge and a resubmission; ASC-02 late, chased, escalated, then not available.
  s.at('2024-10-01T08:00:00Z').openCycle('2024/25-Q2', all, '2024-10-18');
  s.at('2024-10-16T09:00:00Z').submit('ASC-01', '2024/25-Q2', '96.0', ratingOf('green', fy, GREEN_95));
  s.at('2024-10-21T09:00:00Z')
    .chase('ASC-02', '2024/25-Q2', 1)
    .challenge('ASC-01', '2024/25-Q2', 'Denominator excludes new clients?')
    .extendDeadline('2024/25-Q2', '2024-10-18', '2024-10-25')
    .changeDueDate('ASC-02', '2024/25-Q2', '2024-10-18', '2024-10-25');
  s.at('2024-10-22T11:00:00Z')
    .resubmit('ASC-01', '2024/25-Q2', '95.5', ratingOf('green', fy, GREEN_95))
    .submit('ENV-01', '2024/25-Q2', '1710', ratingOf(null, fy, { kind: 'tracker' }), 'e.lead');
  s.at('2024-10-28T09:00:00Z')
    .escalate('ASC-02', '2024/25-Q2', 'dmt')
    .markNotAvailable('ASC-02', '2024/25-Q2', 'NHS data feed delayed');
  s.at('2024-11-04T15:00:00Z')
    .approve('ASC-01', '2024/25-Q2', '95.5', ratingOf('green', fy, GREEN_95))
    .approve('ASC-02', '2024/25-Q2', null, { ...ratingOf(null, fy, FEWER_DELAYS), noStatusReason: 'not_available' })
    .approve('ENV-01', '2024/25-Q2', '1710', ratingOf(null, fy, { kind: 'tracker' }));
  s.at('2024-11-30T09:00:00Z').closeCycle('2024/25-Q2');

  // Q3: ASC-01 red; later restated to amber.
  s.at('2025-01-02T08:00:00Z').openCycle('2024/25-Q3', all, '2025-01-24');
  s.at('2025-01-20T09:00:00Z')
    .submit('ASC-01', '2024/25-Q3', '88.0', ratingOf('red', fy, GREEN_95), 's.lead', 'Winter pressures.')
    .submit('ASC-02', '2024/25-Q3', '9.8', ratingOf('green', fy, FEWER_DELAYS));
  s.at('2025-01-30T16:00:00Z')
    .approve('ASC-01', '2024/25-Q3', '88.0', ratingOf('red', fy, GREEN_95))
    .approve('ASC-02', '2024/25-Q3', '9.8', ratingOf('green', fy, FEWER_DELAYS));
  s.at('2025-02-28T09:00:00Z').closeCycle('2024/25-Q3', ['ENV-01:2024/25-Q3']);
  s.at('2025-03-10T10:00:00Z').restate(
    'ASC-01',
    '2024/25-Q3',
    '88.0',
    '91.2',
    ratingOf('amber', fy, GREEN_95),
    'Late case records added after the extract',
  );
  s.at('2025-03-12T10:00:00Z').approve('ASC-01', '2024/25-Q3', '91.2', ratingOf('amber', fy, GREEN_95));

  // Next year's targets are tougher; 2024/25 ratings must not change.
  s.at('2025-03-20T10:00:00Z').target('ASC-01', '2025/26', { kind: 'thresholds', green: '98', amber: '96' });
  s.at('2025-04-01T08:00:00Z').openCycle('2024/25-Q4', all, '2025-04-25');
  s.at('2025-04-20T09:00:00Z')
    .submit('ASC-01', '2024/25-Q4', '95.0', ratingOf('green', fy, GREEN_95))
    .submit('ASC-02', '2024/25-Q4', '10.5', ratingOf('amber', fy, FEWER_DELAYS))
    .submit('ENV-01', '2024/25-Q4', '1600', ratingOf(null, fy, { kind: 'tracker' }), 'e.lead');
  s.at('2025-04-29T09:00:00Z')
    .approve('ASC-01', '2024/25-Q4', '95.0', ratingOf('green', fy, GREEN_95))
    .approve('ASC-02', '2024/25-Q4', '10.5', ratingOf('amber', fy, FEWER_DELAYS))
    .approve('ENV-01', '2024/25-Q4', '1600', ratingOf(null, fy, { kind: 'tracker' }));
  s.at('2025-05-30T09:00:00Z').closeCycle('2024/25-Q4');

  s.at('2025-07-01T08:00:00Z').openCycle('2025/26-Q1', all, '2025-07-18');
  s.at('2025-07-10T09:00:00Z')
    .submit('ASC-01', '2025/26-Q1', '96.5', ratingOf('amber', '2025/26', { kind: 'thresholds', green: '98', amber: '96' }));
  s.at('2025-07-14T09:00:00Z')
    .approve('ASC-01', '2025/26-Q1', '96.5', ratingOf('amber', '2025/26', { kind: 'thresholds', green: '98', amber: '96' }));
  return s;
}
