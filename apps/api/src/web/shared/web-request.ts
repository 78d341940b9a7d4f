import { SetMetadata } from '@nestjs/common';
import type { Principal } from '@quarterly/platform';
import type { Role } from '@quarterly/domain';
import { isAuditor } from '../../audit/auditors';
import type { Request } from 'express';
import type { WebSession } from './web-session.store';

/** A page request: the session (when the cookie names a live one) and, once signed in, the principal. */
export interface WebRequest extends Request {
  webSession?: WebSession;
  principal?: Principal;
}

export const ANONYMOUS_PAGE = 'quarterly:anonymous-page';

/** The page is for people not (yet) signed in: sign-in, its callback, sign-out. */
export const AnonymousPage = (): MethodDecorator & ClassDecorator => SetMetadata(ANONYMOUS_PAGE, true);

/** Not signed in (or the session ended): sign in, then come back to `returnTo`. */
export class SignInRequiredError extends Error {
  override readonly name = 'SignInRequiredError';
  constructor(readonly returnTo: string) {
    super('sign-in required');
  }
}

/** A form post without the session's CSRF token (forged, or from a session that ended). */
export class CsrfTokenInvalidError extends Error {
  override readonly name = 'CsrfTokenInvalidError';
  constructor() {
    super('the form did not carry this session’s CSRF token');
  }
}

/** Only local page paths are followed after sign-in: never another site. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/app(\/[A-Za-z0-9\-._~%/?=&:]*)?$/.test(value) && !value.includes('..') ? value : '/app';
}

/**
 * Each person's start page, what they most often come to do: a service lead their returns, a
 * DMT the returns to review, CLT the escalations, the performance team the cycle's status
 * board, an auditor the KPI register (each KPI's history and audit trail), a councillor the
 * published scorecards. Someone with several roles starts at the first that applies here.
 */
export function startPageOf(roles: readonly Role[]): string {
  if (roles.includes('service-lead')) return '/app/your-returns';
  if (roles.includes('dmt')) return '/app/to-review';
  if (roles.includes('clt')) return '/app/escalations';
  if (roles.includes('performance-team')) return '/app/status-board';
  if (roles.includes('auditor')) return '/app/kpis';
  return '/app/scorecards';
}

/** What the layout needs about the person: the name and which sections to offer. */
export interface LayoutPrincipal {
  readonly name: string;
  /** Someone who may answer for a return (anyone but a councillor or an auditor): "Your returns". */
  readonly mayReport: boolean;
  readonly isDmt: boolean;
  readonly isClt: boolean;
  /** Council staff (anyone but a councillor): the register and the status board. */
  readonly isStaff: boolean;
  /** The performance team: the people directory and the cycle forms. */
  readonly isPerformanceTeam: boolean;
  /** Auditors and the performance team: the audit page, evidence packs. */
  readonly mayAudit: boolean;
}

export function layoutPrincipalOf(principal: Principal): LayoutPrincipal {
  return {
    name: principal.name ?? principal.id,
    mayReport: principal.roles.some((role) => role !== 'member' && role !== 'auditor'),
    isDmt: principal.roles.includes('dmt') || principal.roles.includes('performance-team'),
    isClt: principal.roles.includes('clt') || principal.roles.includes('performance-team'),
    isStaff: principal.roles.some((role) => role !== 'member'),
    isPerformanceTeam: principal.roles.includes('performance-team'),
    mayAudit: isAuditor(principal.roles),
  };
}
