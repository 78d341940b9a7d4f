import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { IllegalTransitionError, OffTargetJustificationRequiredError, SelfApprovalError, ValidationError, KpiNotFoundError } from '@quarterly/domain';
import { EventStoreUnavailableError } from '@quarterly/event-store';
import { ConcurrentChangeError, IdempotencyKeyReusedError, StaleRevisionError } from '../commands/event-sourced-command-executor';
import { ProblemDetailsFilter } from './problem-details.filter';
import { RequestValidationError } from './request-validation.error';

describe('ProblemDetailsFilter.toProblem', () => {
  const filter = new ProblemDetailsFilter();
  const problem = (error: unknown) => filter.toProblem(error, '/returns/ENV-01/2024-25-Q2/approval');

  it('answers an illegal transition with 409 naming the current state', () => {
    expect(problem(new IllegalTransitionError('ApproveReturn', 'requested'))).toMatchObject({
      status: 409,
      code: 'illegal_transition',
      currentState: 'requested',
      instance: '/returns/ENV-01/2024-25-Q2/approval',
      type: 'urn:quarterly:problem:illegal_transition',
    });
  });

  it('answers a domain validation error with 400 naming the field', () => {
    expect(problem(new ValidationError('timetable.returnsDue', 'must be after the quarter end'))).toMatchObject({
      status: 400,
      errors: [{ field: 'timetable.returnsDue', message: 'must be after the quarter end' }],
    });
  });

  it('names each missing justification field of an off-target figure', () => {
    expect(problem(new OffTargetJustificationRequiredError('red', ['offTargetReason', 'routeToGreen'])).errors?.map((e) => e.field)).toEqual([
      'offTargetReason',
      'routeToGreen',
    ]);
  });

  it('maps request validation, authorisation and lookup failures', () => {
    expect(problem(new RequestValidationError([{ field: 'value', message: 'must be a decimal' }]))).toMatchObject({ status: 400, errors: [{ field: 'value' }] });
    expect(problem(new SelfApprovalError('j.smith')).status).toBe(403);
    expect(problem(new KpiNotFoundError('X-1')).status).toBe(404);
    expect(problem(new UnauthorizedException('no token')).status).toBe(401);
    expect(problem(new ForbiddenException('no')).status).toBe(403);
  });

  it('distinguishes a stale If-Match (412) from a concurrent change (409) and a reused key (422)', () => {
    expect(problem(new StaleRevisionError('return-X', 1n, 2n, 'challenged'))).toMatchObject({ status: 412, currentState: 'challenged', currentVersion: '2' });
    expect(problem(new ConcurrentChangeError('return-X', 'submitted'))).toMatchObject({ status: 409, currentState: 'submitted' });
    expect(problem(new IdempotencyKeyReusedError('key-12345')).status).toBe(422);
  });

  it("passes on the status of the HTTP layer's own refusals of a request (body-parser's http-errors)", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, statusCode: 413, expose: true, type: 'entity.too.large' });
    expect(problem(tooLarge)).toMatchObject({ status: 413, code: 'content_too_large', title: 'Content Too Large', detail: 'request entity too large' });
    const charset = Object.assign(new Error('unsupported charset "LATIN-9"'), { status: 415, expose: true });
    expect(problem(charset)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    // Not exposed, or not a client error: an internal failure, told nothing about.
    expect(problem(Object.assign(new Error('secret detail'), { status: 413, expose: false })).status).toBe(500);
    expect(problem(Object.assign(new Error('secret detail'), { status: 502, expose: true })).status).toBe(500);
  });

  it('answers an unreachable store with 503 and an unknown error with a 500 that reveals nothing', () => {
    expect(problem(new EventStoreUnavailableError('ECONNREFUSED 127.0.0.1:5432')).status).toBe(503);
    const internal = problem(new TypeError('cannot read x of undefined'));
    expect(internal.status).toBe(500);
    expect(internal.detail).not.toContain('undefined');
  });
});

describe('ProblemDetailsFilter.toProblem, when the read-model database cannot be used', () => {
  const filter = new ProblemDetailsFilter();

  it('answers 503 read_models_unavailable for a real SQLITE_READONLY error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarterly-readonly-'));
    const file = join(dir, 'read-models.sqlite');
    new BetterSqlite3(file).exec('create table t (x integer)');
    const readOnly = new BetterSqlite3(file, { readonly: true });
    let error: unknown;
    try {
      readOnly.prepare('insert into t values (1)').run();
    } catch (caught) {
      error = caught;
    } finally {
      readOnly.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expect((error as { code?: string }).code).toBe('SQLITE_READONLY');
    expect(filter.toProblem(error, '/people')).toMatchObject({ status: 503, code: 'read_models_unavailable', instance: '/people' });
  });

  it('answers 503 for PostgreSQL shutting down or refusing connections, 500 for a wrong query', () => {
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const wrong = Object.assign(new Error('column "nope" does not exist'), { code: '42703' });
    expect(filter.toProblem(shutdown, '/kpis').status).toBe(503);
    expect(filter.toProblem(refused, '/kpis').status).toBe(503);
    expect(filter.toProblem(wrong, '/kpis')).toMatchObject({ status: 500, code: 'internal_error' });
  });
});
