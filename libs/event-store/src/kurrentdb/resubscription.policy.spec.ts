import { ResubscriptionPolicy } from './resubscription.policy';

describe('ResubscriptionPolicy', () => {
  describe('backoff', () => {
    const noJitter = { initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, jitter: 0 };

    it('doubles the wait after each failure in a row, up to the cap', () => {
      const policy = new ResubscriptionPolicy(noJitter);
      const delays = Array.from({ length: 6 }, () => policy.nextDelayMs());
      expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
      expect(policy.consecutiveFailures).toBe(6);
    });

    it('starts again from the initial wait once a subscription makes progress', () => {
      const policy = new ResubscriptionPolicy(noJitter);
      policy.nextDelayMs();
      policy.nextDelayMs();
      policy.recordProgress(5_000);
      expect(policy.consecutiveFailures).toBe(0);
      expect(policy.nextDelayMs()).toBe(100);
    });

    it('keeps backing off when a subscription only connects and fails again', () => {
      const policy = new ResubscriptionPolicy(noJitter);
      policy.nextDelayMs();
      policy.recordActivity(1_000);
      expect(policy.nextDelayMs()).toBe(200);
    });

    it('takes up to the jitter fraction off the wait, never adds to it', () => {
      const lowest = new ResubscriptionPolicy({ ...noJitter, jitter: 0.5, random: () => 0.999 });
      const highest = new ResubscriptionPolicy({ ...noJitter, jitter: 0.5, random: () => 0 });
      expect(lowest.nextDelayMs()).toBe(50);
      expect(highest.nextDelayMs()).toBe(100);
    });

    it('rejects settings that would never wait or never grow', () => {
      expect(() => new ResubscriptionPolicy({ initialDelayMs: 0 })).toThrow(RangeError);
      expect(() => new ResubscriptionPolicy({ initialDelayMs: 500, maxDelayMs: 100 })).toThrow(
        RangeError,
      );
      expect(() => new ResubscriptionPolicy({ multiplier: 0.5 })).toThrow(RangeError);
      expect(() => new ResubscriptionPolicy({ jitter: 2 })).toThrow(RangeError);
      expect(() => new ResubscriptionPolicy({ silenceTimeoutMs: 0 })).toThrow(RangeError);
    });
  });

  describe('watchdog', () => {
    it('calls the subscription silent once the timeout has passed since the last activity', () => {
      const policy = new ResubscriptionPolicy({ silenceTimeoutMs: 60_000 }, 1_000);
      expect(policy.silentAt()).toBe(61_000);
      expect(policy.isSilent(60_999)).toBe(false);
      expect(policy.isSilent(61_000)).toBe(true);
    });

    it('is kept awake by checkpoints and events', () => {
      const policy = new ResubscriptionPolicy({ silenceTimeoutMs: 60_000 }, 0);
      policy.recordActivity(50_000);
      expect(policy.isSilent(100_000)).toBe(false);
      policy.recordProgress(90_000);
      expect(policy.isSilent(140_000)).toBe(false);
      expect(policy.isSilent(150_000)).toBe(true);
    });

    it('never moves its last activity backwards', () => {
      const policy = new ResubscriptionPolicy({ silenceTimeoutMs: 10 }, 100);
      policy.recordActivity(50);
      expect(policy.silentAt()).toBe(110);
    });
  });
});
