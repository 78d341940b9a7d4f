import { runDependencyChecks, shortReason, withoutRawErrors, type DependencyCheck } from './dependency-checks';

const up = (name: string, critical = true): DependencyCheck => ({ name, critical, probe: async () => undefined });
const failing = (name: string, error: unknown, critical = true): DependencyCheck => ({ name, critical, probe: async () => Promise.reject(error) });
const hanging = (name: string, critical = true): DependencyCheck => ({ name, critical, probe: () => new Promise<void>(() => undefined) });

describe('runDependencyChecks', () => {
  it('is ready when every dependency answers', async () => {
    const report = await runDependencyChecks([up('eventStore'), up('redis', false)]);
    expect(report.status).toBe('ready');
    expect(report.checks.eventStore).toEqual({ status: 'up', latencyMs: expect.any(Number) });
  });

  it('is degraded when only a non-critical dependency is down, unavailable when a critical one is', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6379'), { code: 'ECONNREFUSED' });
    expect((await runDependencyChecks([up('eventStore'), failing('redis', refused, false)])).status).toBe('degraded');
    expect((await runDependencyChecks([failing('eventStore', refused), up('redis', false)])).status).toBe('unavailable');
  });

  it('reports a probe that never answers as down once the timeout has passed, without waiting for it', async () => {
    const report = await runDependencyChecks([hanging('redis', false), up('eventStore')], { timeoutMs: 50 });
    expect(report.status).toBe('degraded');
    expect(report.checks.redis).toEqual({ status: 'down', reason: 'no answer within 50 ms' });
  });

  it('keeps the raw error for operators and strips it for everyone else', async () => {
    const error = new Error('password authentication failed for user "quarterly" at db.council.internal');
    const report = await runDependencyChecks([failing('readModels', Object.assign(error, { code: '28P01' }))]);
    expect(report.checks.readModels).toEqual({ status: 'down', reason: 'authentication failed', error: error.message });
    expect(withoutRawErrors(report).checks.readModels).toEqual({ status: 'down', reason: 'authentication failed' });
    expect(JSON.stringify(withoutRawErrors(report))).not.toContain('council.internal');
  });
});

describe('shortReason', () => {
  it('names the kind of failure from the code, looking through causes', () => {
    const wrapped = new Error('PostgreSQL event store unavailable', { cause: Object.assign(new Error('terminating connection'), { code: '57P01' }) });
    expect(shortReason(wrapped)).toBe('shutting down or starting up');
    expect(shortReason(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe('locked by another connection');
    expect(shortReason(Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' }))).toBe('read-only');
    expect(shortReason(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe('not connected');
    expect(shortReason(new Error('SMTP server not ready: connect ECONNREFUSED 127.0.0.1:1025'))).toBe('connection refused');
    expect(shortReason(new Error('something else entirely'))).toBe('not answering');
  });
});
