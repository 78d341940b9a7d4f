import {
  DIRECTION_CHOICES,
  DUE_QUARTER_CHOICES,
  FREQUENCY_CHOICES,
  LABEL_CHOICES,
  LAST_YEAR_BASIS_CHOICES,
  MEASURE_TYPE_CHOICES,
  POLARITY_CHOICES,
  POLICY_CHOICES,
  ROLE_CHOICES,
  UNIT_CHOICES,
} from '@quarterly/register-import';
import { readChoice, type Choice } from '@quarterly/spreadsheet-import';
import { UNIT_WORDS } from '../../scorecards/scorecard-table';
import { DESCRIPTION_FIELDS, POLICY_FIELDS, POLICY_KIND_WORDS } from '../kpi-forms/kpi-form-fields';
import { BASIS_WORDS as HISTORY_BASIS_WORDS } from '../kpi-page/kpi-history.view-model';
import { FREQUENCY_WORDS, POLARITY_WORDS } from '../kpi-page/kpi-page.view-model';
import { BASIS_WORDS } from '../kpi-page/kpi-targets-words';
import { ROLE_LABELS } from '../people-forms/people-forms.controller';
import { MEASURES, POLARITY, UNITS } from '../return-page/return-page.view-model';

/**
 * A council types into its register what it reads on Quarterly's pages: every word a page prints
 * for a coded value must read back, in the register import, as that code.
 */
describe('the register import reads the words the pages print', () => {
  const cases: [string, readonly Choice<string>[], Readonly<Record<string, string>>][] = [
    ['unit (scorecards)', UNIT_CHOICES, UNIT_WORDS],
    ['unit (return page)', UNIT_CHOICES, UNITS],
    ['unit (KPI forms)', UNIT_CHOICES, optionsOf(DESCRIPTION_FIELDS.unit.options)],
    ['polarity (KPI page)', POLARITY_CHOICES, POLARITY_WORDS],
    ['polarity (return page)', POLARITY_CHOICES, POLARITY],
    ['polarity (KPI forms)', POLARITY_CHOICES, optionsOf(DESCRIPTION_FIELDS.polarity.options)],
    ['frequency (KPI page)', FREQUENCY_CHOICES, FREQUENCY_WORDS],
    ['frequency (KPI forms)', FREQUENCY_CHOICES, optionsOf(DESCRIPTION_FIELDS.frequency.options)],
    ['annual due quarter (KPI forms)', DUE_QUARTER_CHOICES, optionsOf(DESCRIPTION_FIELDS.annualDueQuarter.options)],
    ['measure type (KPI forms)', MEASURE_TYPE_CHOICES, optionsOf(DESCRIPTION_FIELDS.measureType.options)],
    ['measure type (return page)', MEASURE_TYPE_CHOICES, MEASURES],
    ['status labels (KPI forms)', LABEL_CHOICES, optionsOf(DESCRIPTION_FIELDS.labels.options)],
    ['policy (targets form)', POLICY_CHOICES, Object.fromEntries(Object.entries(POLICY_KIND_WORDS).map(([code, words]) => [code, words.text]))],
    ['direction (targets form)', DIRECTION_CHOICES, optionsOf(POLICY_FIELDS.direction.direction.options)],
    ['last-year basis (KPI page)', LAST_YEAR_BASIS_CHOICES, BASIS_WORDS],
    ['last-year basis (KPI history)', LAST_YEAR_BASIS_CHOICES, HISTORY_BASIS_WORDS],
    ['role (people pages)', ROLE_CHOICES, ROLE_LABELS],
  ];

  it.each(cases)('%s', (_where, choices, printed) => {
    for (const [code, words] of Object.entries(printed)) {
      expect([words, readChoice(words, choices)]).toEqual([words, { value: code }]);
      expect([words.toUpperCase(), readChoice(` ${words.toUpperCase()} `, choices)]).toEqual([words.toUpperCase(), { value: code }]);
    }
  });
});

function optionsOf(options: readonly { readonly value: string; readonly text: string }[]): Record<string, string> {
  return Object.fromEntries(options.map((option) => [option.value, option.text]));
}
