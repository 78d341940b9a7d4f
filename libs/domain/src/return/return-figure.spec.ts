import { ValidationError } from '../shared/domain-error';
import type { RatingPolicy } from '../shared/rating.types';
import { DeciderSpecification } from '../testing/decider-specification';
import { returnKpiSnapshot, serviceLead, dmt } from '../testing/domain-fixtures';
import type { ReturnRequested, ReturnEvent } from './return.events';
import { ReturnCommand, returnDecider } from './return.decider';

/** A year-to-date count of homes improved, rated on its year-to-date figure at Q3. */
const spec = DeciderSpecification.for(returnDecider);
const returnId = 'HSG-01:2024/25-Q3';
const policy: RatingPolicy = { kind: 'thresholds', green: '300', amber: '270' };
const requested = (periodCovered = '2024/25-Q3', measureType: 'year_to_date' | 'in_period' | 'snapshot' = 'year_to_date'): ReturnRequested => ({
  type: 'ReturnRequested',
  data: {
    returnId,
    kpiId: 'HSG-01',
    cycleId: '2024/25-Q3',
    financialYear: '2024/25',
    quarter: 3,
    periodCovered,
    expectedMonths: [],
    dueDate: '2025-01-20',
    kpi: returnKpiSnapshot({ unit: 'count', decimalPlaces: 0, polarity: 'higher_is_better', measureType, labels: 'green_amber_red' }),
  },
});
const submit = (data: Record<string, unknown>, kpi: Record<string, unknown> = { policy }): ReturnCommand =>
  ({ type: 'SubmitReturn', returnId, data: { commentary: 'On plan.', kpi, ...data }, context: serviceLead }) as unknown as ReturnCommand;

describe('when a figure is reported with its in-period and year-to-date figures', () => {
  it('keeps both beside the rated headline, normalised, with the text as entered', () => {
    const [event] = spec.given([requested()]).when(submit({ value: '310', inPeriodValue: '0098', yearToDateValue: '310' })).result().events;
    expect(event).toMatchObject({
      type: 'ReturnSubmitted',
      data: { value: '310', inPeriodValue: '98', inPeriodValueAsEntered: '0098', yearToDateValue: '310', rating: { status: 'green' } },
    });
  });

  it('refuses a figure of the rated measure that differs from the headline', () => {
    spec
      .given([requested()])
      .when(submit({ value: '310', yearToDateValue: '311' }))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('yearToDateValue'));
    // The year rates the in-period figure: then it is inPeriodValue that must equal the headline.
    spec
      .given([requested()])
      .when(submit({ value: '98', inPeriodValue: '97', yearToDateValue: '310' }, { policy, ratedFigure: 'in_period' }))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('inPeriodValue'));
  });

  it('refuses different in-period and year-to-date figures at Q1, which cover the same months', () => {
    spec
      .given([requested('2024/25-Q1')])
      .when(submit({ value: '98', inPeriodValue: '98', yearToDateValue: '99' }))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('yearToDateValue'));
  });

  it('checks each against the valid range and precision', () => {
    spec
      .given([requested()])
      .when(submit({ value: '310', inPeriodValue: '-1' }))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('inPeriodValue'));
    spec
      .given([requested()])
      .when(submit({ value: '310', inPeriodValue: '1.5' }))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('inPeriodValue'));
  });

  it('refuses them for a snapshot KPI, which has only its headline', () => {
    spec
      .given([requested('2024/25-Q3', 'snapshot')])
      .when(submit({ value: '310', inPeriodValue: '98' }))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('inPeriodValue'));
  });

  it('records the period policy, rated figure and basis that rated it', () => {
    const q3: RatingPolicy = { kind: 'thresholds', green: '320', amber: '300' };
    const [event] = spec
      .given([requested()])
      .when(submit({ value: '310', offTargetReason: 'Late starts', routeToGreen: 'Two more crews' }, { policy: q3, period: 'Q3', ratedFigure: 'year_to_date', lastYearBasis: 'pro_rata_annual' }))
      .result().events;
    expect(event).toMatchObject({
      data: { rating: { status: 'amber', policy: q3, period: 'Q3', ratedFigure: 'year_to_date', lastYearBasis: 'pro_rata_annual' } },
    });
  });

  it('rates an old-style submission without them exactly as before', () => {
    const [event] = spec.given([requested()]).when(submit({ value: '300' })).result().events;
    expect(event).toEqual({
      type: 'ReturnSubmitted',
      data: {
        submittedBy: 's.lead',
        value: '300',
        monthlyValues: [],
        commentary: 'On plan.',
        rating: { status: 'green', label: 'Green', policy, financialYear: '2024/25' },
      },
    });
  });
});

describe('when an approved figure is restated', () => {
  const submitted: ReturnEvent = {
    type: 'ReturnSubmitted',
    data: { submittedBy: 's.lead', value: '310', inPeriodValue: '98', yearToDateValue: '310', monthlyValues: [], commentary: '', rating: { status: 'green', label: 'Green', policy, financialYear: '2024/25' } },
  };
  const approved: ReturnEvent = { type: 'ReturnApproved', data: { approvedBy: 'd.director', value: '310', rating: { status: 'green', label: 'Green', policy, financialYear: '2024/25' } } };
  const restate = (data: Record<string, unknown>): ReturnCommand =>
    ({ type: 'RestateReturn', returnId, data: { reason: 'Late data', kpi: { policy }, ...data }, context: serviceLead }) as ReturnCommand;

  it('may correct only the in-period figure', () => {
    const [event] = spec.given([requested(), submitted, approved]).when(restate({ value: '310', inPeriodValue: '99', yearToDateValue: '310' })).result().events;
    expect(event).toMatchObject({ type: 'ReturnRestated', data: { value: '310', inPeriodValue: '99', previousValue: '310' } });
  });

  it('refuses a restatement that changes nothing', () => {
    spec
      .given([requested(), submitted, approved])
      .when(restate({ value: '310', inPeriodValue: '098', yearToDateValue: '310' }))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('value'));
  });

  it('is approved again by someone else, with the corrected figure', () => {
    const [restated] = spec.given([requested(), submitted, approved]).when(restate({ value: '311', yearToDateValue: '311' })).result().events;
    const [reapproved] = spec
      .given([requested(), submitted, approved, restated!])
      .when({ type: 'ApproveReturn', returnId, data: {}, context: dmt } as ReturnCommand)
      .result().events;
    expect(reapproved).toMatchObject({ type: 'ReturnApproved', data: { approvedBy: 'd.director', value: '311', rating: { status: 'green' } } });
  });
});
