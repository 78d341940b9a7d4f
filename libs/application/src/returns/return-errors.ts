import { DomainError } from '@quarterly/domain';

/** No return of the KPI was requested for the cycle (HTTP 404). */
export class ReturnNotFoundError extends DomainError {
  readonly code = 'return_not_found';

  constructor(
    readonly kpiId: string,
    readonly periodId: string,
  ) {
    super(`no return of ${kpiId} was requested for ${periodId}`);
  }
}

/**
 * The caller's role allows the command, but not on this return: a service lead acts only on the
 * KPIs they answer for, a DMT member only on their directorate's (HTTP 403).
 */
export class ReturnAccessDeniedError extends DomainError {
  readonly code = 'forbidden';

  constructor(
    readonly actor: string,
    readonly kpiId: string,
    readonly directorate: string,
    readonly owner: string,
  ) {
    super(`${actor} may not act on returns of ${kpiId}: it belongs to ${directorate}, owned by ${owner}`);
  }
}
