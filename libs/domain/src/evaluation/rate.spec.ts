import fc from 'fast-check';
import type { Polarity } from '../kpi/kpi-attributes';
import type { RatingPolicy } from '../shared/rating.types';
import { rate, RatingContext } from './rate';

const higher: RatingContext = { polarity: 'higher_is_better', labels: 'green_amber_red', financialYear: '2024/25' };
const lower: RatingContext = { ...higher, polarity: 'lower_is_better' };
const thresholds = (green: string, amber: string): RatingPolicy => ({ kind: 'thresholds', green, amber });

describe('rating with thresholds', () => {
  const policy = thresholds('88.6', '80');

  it('rates higher-is-better figures green at or above green, amber at or above amber, else red', () => {
    expect(rate('92.86', policy, higher)).toMatchObject({ status: 'green', label: 'Green' });
    expect(rate('88.6', policy, higher).status).toBe('green');
    expect(rate('88.59', policy, higher).status).toBe('amber');
    expect(rate('80', policy, higher).status).toBe('amber');
    expect(rate('79.99', policy, higher)).toMatchObject({ status: 'red', label: 'Red' });
  });

  it('mirrors the rule for lower-is-better figures', () => {
    const policyLower = thresholds('0.8', '5.0');
    expect(rate('0.8', policyLower, lower).status).toBe('green');
    expect(rate('0.81', policyLower, lower).status).toBe('amber');
    expect(rate('5', policyLower, lower).status).toBe('amber');
    expect(rate('5.01', policyLower, lower).status).toBe('red');
  });

  it('records the policy and year applied', () => {
    expect(rate('90', policy, higher)).toEqual({ status: 'green', label: 'Green', policy, financialYear: '2024/25' });
  });

  it('prints On track / Monitor / Action required where the council uses them', () => {
    const ctx: RatingContext = { ...higher, labels: 'on_track_monitor_action' };
    expect(rate('90', policy, ctx).label).toBe('On track');
    expect(rate('85', policy, ctx).label).toBe('Monitor');
    expect(rate('70', policy, ctx).label).toBe('Action required');
  });

  it('reads the better side from distinct thresholds when the polarity disagrees', () => {
    expect(rate('0.5', thresholds('0.8', '5.0'), higher).status).toBe('green');
  });
});

describe('rating with a tolerance', () => {
  // "amber means within 10% of target" (a city council's Q2 report).
  const policy: RatingPolicy = { kind: 'tolerance', target: '581', tolerancePercent: '10' };

  it('is green when the target is met and amber within the tolerance (lower is better)', () => {
    expect(rate('562.3', policy, lower).status).toBe('green');
    expect(rate('581', policy, lower).status).toBe('green');
    expect(rate('639.1', policy, lower).status).toBe('amber');
    expect(rate('639.2', policy, lower).status).toBe('red');
  });

  it('is amber within the tolerance below a higher-is-better target', () => {
    const target: RatingPolicy = { kind: 'tolerance', target: '57.4', tolerancePercent: '10' };
    expect(rate('57.4', target, higher).status).toBe('green');
    expect(rate('51.66', target, higher).status).toBe('amber');
    expect(rate('51.65', target, higher).status).toBe('red');
  });

  it('measures the band from the size of a negative target', () => {
    const target: RatingPolicy = { kind: 'tolerance', target: '-10', tolerancePercent: '10' };
    expect(rate('-11', target, higher).status).toBe('amber');
    expect(rate('-11.01', target, higher).status).toBe('red');
  });

  it('rates real published figures as the council did', () => {
    // Overall absence 7.32% against 7.20% is "close to target"; persistent absence 21.16% vs 21.20% met it.
    expect(rate('7.32', { kind: 'tolerance', target: '7.20', tolerancePercent: '10' }, lower).status).toBe('amber');
    expect(rate('21.16', { kind: 'tolerance', target: '21.20', tolerancePercent: '10' }, lower).status).toBe('green');
    // Repeat child protection plans 33.6% against a 25.10% target: beyond 10%.
    expect(rate('33.6', { kind: 'tolerance', target: '25.10', tolerancePercent: '10' }, lower).status).toBe('red');
  });
});

describe('rating met / not met', () => {
  const policy: RatingPolicy = { kind: 'met_not_met', target: '95' };

  it('meets the target at or beyond it, with Met / Not met labels', () => {
    expect(rate('95', policy, higher)).toMatchObject({ status: 'met', label: 'Met' });
    expect(rate('94.9', policy, higher)).toMatchObject({ status: 'not_met', label: 'Not met' });
    expect(rate('94.9', policy, lower).status).toBe('met');
  });

  it('has no status when the KPI has no polarity to say which side is better', () => {
    expect(rate('95', policy, { ...higher, polarity: 'none' })).toMatchObject({ status: null, noStatusReason: 'no_target' });
  });
});

describe('rating against an interim direction', () => {
  const increase: RatingPolicy = { kind: 'direction', direction: 'increase' };
  const decrease: RatingPolicy = { kind: 'direction', direction: 'decrease' };

  it('is green when the figure moved as asked, amber when it did not move, red the wrong way', () => {
    expect(rate('11', increase, { ...higher, previousValue: '10' })).toMatchObject({ status: 'green', comparedWith: '10' });
    expect(rate('10.0', increase, { ...higher, previousValue: '10' }).status).toBe('amber');
    expect(rate('9', increase, { ...higher, previousValue: '10' }).status).toBe('red');
    expect(rate('9', decrease, { ...higher, previousValue: '10' }).status).toBe('green');
  });

  it('has no status without a previous figure (no baseline)', () => {
    expect(rate('11', increase, higher)).toMatchObject({ status: null, label: null, noStatusReason: 'no_baseline' });
    expect(rate('11', increase, { ...higher, previousValue: null }).noStatusReason).toBe('no_baseline');
  });
});

describe('figures without a status', () => {
  it('gives trackers no status', () => {
    expect(rate('339', { kind: 'tracker' }, lower)).toMatchObject({ status: null, noStatusReason: 'tracker' });
  });

  it('gives a KPI with no policy for the year no status', () => {
    expect(rate('339', null, lower)).toMatchObject({ status: null, noStatusReason: 'no_target', policy: null });
  });

  it('says why a missing figure has no status', () => {
    expect(rate(null, thresholds('1', '2'), lower).noStatusReason).toBe('not_available');
    expect(rate(null, thresholds('1', '2'), { ...lower, noFigureReason: 'not_yet_due' }).noStatusReason).toBe('not_yet_due');
  });

  it('withholds the status of a figure under quality assurance', () => {
    expect(rate('0.1', thresholds('1', '2'), { ...lower, noFigureReason: 'under_quality_assurance' })).toMatchObject({
      status: null,
      noStatusReason: 'under_quality_assurance',
    });
  });
});

describe('rating properties', () => {
  const decimal = fc
    .tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 3 }))
    .map(([units, places]) => (units / 10 ** places).toFixed(places));
  const polarity = fc.constantFrom<Polarity>('higher_is_better', 'lower_is_better');
  const rank = { green: 2, met: 2, amber: 1, red: 0, not_met: 0 } as const;
  const ctxFor = (p: Polarity): RatingContext => ({ polarity: p, labels: 'green_amber_red', financialYear: '2024/25' });

  const policyFor = (p: Polarity) =>
    fc.oneof(
      fc.tuple(decimal, decimal).map(([a, b]) => {
        const [small, large] = Number(a) <= Number(b) ? [a, b] : [b, a];
        return p === 'higher_is_better' ? thresholds(large, small) : thresholds(small, large);
      }),
      fc.tuple(decimal, fc.integer({ min: 0, max: 50 })).map(
        ([target, tolerance]): RatingPolicy => ({ kind: 'tolerance', target, tolerancePercent: String(tolerance) }),
      ),
      decimal.map((target): RatingPolicy => ({ kind: 'met_not_met', target })),
    );

  it('never rates a better figure worse', () => {
    fc.assert(
      fc.property(
        polarity.chain((p) => fc.tuple(fc.constant(p), policyFor(p), decimal, decimal)),
        ([p, policy, a, b]) => {
          const [worse, better] =
            (Number(a) <= Number(b)) === (p === 'higher_is_better') ? [a, b] : [b, a];
          const ratedWorse = rate(worse, policy, ctxFor(p)).status!;
          const ratedBetter = rate(better, policy, ctxFor(p)).status!;
          expect(rank[ratedBetter]).toBeGreaterThanOrEqual(rank[ratedWorse]);
        },
      ),
    );
  });

  it('rates a figure exactly on a threshold as meeting it', () => {
    fc.assert(
      fc.property(polarity, decimal, decimal, (p, a, b) => {
        const [small, large] = Number(a) <= Number(b) ? [a, b] : [b, a];
        const [green, amber] = p === 'higher_is_better' ? [large, small] : [small, large];
        const policy = thresholds(green, amber);
        expect(rate(green, policy, ctxFor(p)).status).toBe('green');
        if (Number(a) !== Number(b)) expect(rate(amber, policy, ctxFor(p)).status).toBe('amber');
        expect(rate(a, { kind: 'met_not_met', target: a }, ctxFor(p)).status).toBe('met');
      }),
    );
  });

  it('rates a figure the same whatever trailing zeros it is written with', () => {
    fc.assert(
      fc.property(
        polarity.chain((p) => fc.tuple(fc.constant(p), policyFor(p), decimal, fc.integer({ min: 1, max: 4 }))),
        ([p, policy, value, zeros]) => {
          const padded = value.includes('.') ? value + '0'.repeat(zeros) : `${value}.${'0'.repeat(zeros)}`;
          expect(rate(padded, policy, ctxFor(p))).toEqual(rate(value, policy, ctxFor(p)));
        },
      ),
    );
  });
});
