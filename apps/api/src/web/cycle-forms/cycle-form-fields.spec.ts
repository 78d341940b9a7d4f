import { dateFromForm, defaultPolicyValues, policyFromForm } from './cycle-form-fields';

describe('the open-cycle form fields', () => {
  it('sends no policy when the defaults are left as they are', () => {
    expect(policyFromForm(defaultPolicyValues())).toEqual({ policy: undefined, errors: {} });
  });

  it('sends only the fields that differ from the default', () => {
    const { policy, errors } = policyFromForm({ ...defaultPolicyValues(), remindWorkingDaysBefore: '5, 2', escalateToDmtAfterWorkingDays: '5' });
    expect(errors).toEqual({});
    expect(policy).toEqual({ remindWorkingDaysBefore: [5, 2], escalateToDmtAfterWorkingDays: 5 });
  });

  it('names each field that is not a whole number of working days', () => {
    const { policy, errors } = policyFromForm({ ...defaultPolicyValues(), remindWorkingDaysBefore: 'three', chaseEveryWorkingDays: '2.5', escalateToCltAfterWorkingDays: '' });
    expect(policy).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['chaseEveryWorkingDays', 'escalateToCltAfterWorkingDays', 'remindWorkingDaysBefore']);
    expect(errors['chaseEveryWorkingDays']).toBe('Chase an overdue return every: enter a whole number of working days, for example 2');
  });

  it('reads a GOV.UK date input as an ISO date, and refuses dates that do not exist', () => {
    expect(dateFromForm({ 'd-day': '4', 'd-month': '10', 'd-year': '2026' }, 'd')).toEqual({ date: '2026-10-04', blank: false, valid: true });
    expect(dateFromForm({}, 'd')).toEqual({ blank: true, valid: false });
    expect(dateFromForm({ 'd-day': '31', 'd-month': '9', 'd-year': '2026' }, 'd').valid).toBe(false);
    expect(dateFromForm({ 'd-day': '1', 'd-month': '', 'd-year': '2026' }, 'd')).toEqual({ blank: false, valid: false });
  });
});
