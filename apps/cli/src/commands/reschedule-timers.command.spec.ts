import { parseRescheduleArguments, RescheduleArgumentsError } from './reschedule-timers.command';

describe('reschedule-timers arguments', () => {
  const now = new Date('2026-11-28T12:00:00Z');

  it('takes --since as two arguments or one, with a UTC or offset instant', () => {
    expect(parseRescheduleArguments(['--since', '2026-11-28T09:30:00Z'], now).toISOString()).toBe('2026-11-28T09:30:00.000Z');
    expect(parseRescheduleArguments(['--since=2026-11-28T09:30Z'], now).toISOString()).toBe('2026-11-28T09:30:00.000Z');
    expect(parseRescheduleArguments(['--since', '2026-11-28T09:30:00.250+01:00'], now).toISOString()).toBe('2026-11-28T08:30:00.250Z');
  });

  it.each([
    [[], /needs --since/],
    [['--since'], /needs --since/],
    [['--since='], /needs --since/],
    [['2026-11-28T09:30:00Z'], /needs --since/],
    [['--since', '2026-11-28'], /ISO 8601 date and time with its offset/],
    [['--since', '2026-11-28T09:30:00'], /ISO 8601 date and time with its offset/],
    [['--since', 'yesterday'], /ISO 8601/],
    [['--since', '2026-02-30T09:30:00Z'], /ISO 8601/],
    [['--since', '2026-11-28T12:00:01Z'], /must not be in the future/],
    [['--since', '2026-11-28T09:30:00Z', '--force'], /takes only --since \(got --force\)/],
    [['--since=2026-11-28T09:30:00Z', 'extra'], /takes only --since \(got extra\)/],
  ])('refuses %j', (args, message) => {
    expect(() => parseRescheduleArguments(args as string[], now)).toThrow(RescheduleArgumentsError);
    expect(() => parseRescheduleArguments(args as string[], now)).toThrow(message);
  });
});
