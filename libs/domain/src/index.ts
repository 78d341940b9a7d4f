// Public API of @quarterly/domain: pure deciders, their events and the evaluation rules.
export * from './shared/decider';
export * from './shared/command-context';
export * from './shared/domain-error';
export * from './shared/period';
export * from './shared/decimal-value';
export * from './shared/stream-ids';
export * from './shared/rating.types';
export * from './shared/same-json-value';

export * from './kpi/kpi-attributes';
export * from './kpi/kpi.events';
export * from './cycle/cycle.events';
export * from './return/return.events';
export * from './directory/person.events';

export * from './kpi/kpi-validation';
export * from './kpi/value-range';
export * from './kpi/register-rules';
export * from './kpi/kpi-targets';
export * from './kpi/figure-display';
export * from './kpi/kpi.decider';
export * from './cycle/cycle.decider';
export * from './return/return.state';
export * from './return/return.decider';
export * from './return/imported-figure';
export * from './return/escalation-audience';
export * from './return/review-relevance';
export { rateFigure } from './return/return-figure';
export type { CompanionFigures } from './return/return-figure';
export * from './directory/person.decider';
export * from './directory/sign-in-id.rule';

export * from './evaluation/rate';
export * from './evaluation/direction-of-travel';
export * from './evaluation/last-year-comparison';
export * from './evaluation/scorecard-summary';
