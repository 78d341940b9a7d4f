/**
 * Every refusal by the domain is a named subclass with a stable `code`. The API maps codes to
 * HTTP statuses (validation → 400, forbidden → 403, not found → 404, conflicts → 409) and a job
 * that meets one does not retry: a refused command will be refused again.
 */
export abstract class DomainError extends Error {
  /** Stable, machine-readable identifier, e.g. `illegal_transition`. Never renamed. */
  abstract readonly code: string;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command is not allowed in the stream's current state (HTTP 409 "current state: X"). */
export class IllegalTransitionError extends DomainError {
  readonly code = 'illegal_transition';

  constructor(
    readonly command: string,
    readonly currentState: string,
  ) {
    super(`${command} is not allowed; current state: ${currentState}`);
  }
}

/** A field of the command is missing or malformed (HTTP 400). */
export class ValidationError extends DomainError {
  readonly code = 'validation_failed';

  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** The actor's roles do not allow this command (HTTP 403). */
export class ForbiddenActionError extends DomainError {
  readonly code = 'forbidden';

  constructor(
    readonly command: string,
    readonly actor: string,
    readonly requiredRoles: readonly string[],
  ) {
    super(`${actor} may not ${command}; requires one of: ${requiredRoles.join(', ')}`);
  }
}

/** The person who last submitted a figure tried to approve it (HTTP 409). */
export class SelfApprovalError extends DomainError {
  readonly code = 'self_approval';

  constructor(readonly actor: string) {
    super(`${actor} submitted this figure and cannot also approve it`);
  }
}

/** A red, amber or not-met figure came without a reason and a route to green (HTTP 400). */
export class OffTargetJustificationRequiredError extends DomainError {
  readonly code = 'off_target_justification_required';

  constructor(
    readonly status: string,
    readonly missing: readonly ('offTargetReason' | 'routeToGreen')[],
  ) {
    super(`the figure rates ${status}: ${missing.join(' and ')} required`);
  }
}

/** The KPI stream does not exist (HTTP 404). */
export class KpiNotFoundError extends DomainError {
  readonly code = 'kpi_not_found';

  constructor(readonly kpiId: string) {
    super(`KPI ${kpiId} is not defined`);
  }
}

/** The KPI has been retired and can no longer be changed (HTTP 409). */
export class KpiRetiredError extends DomainError {
  readonly code = 'kpi_retired';

  constructor(
    readonly kpiId: string,
    readonly effectiveFrom: string,
  ) {
    super(`KPI ${kpiId} is retired from ${effectiveFrom}`);
  }
}

/** The thing the command would create exists already (HTTP 409). */
export class AlreadyExistsError extends DomainError {
  readonly code = 'already_exists';

  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super(`${kind} ${id} already exists`);
  }
}

/** The person stream does not exist (HTTP 404). */
export class PersonNotFoundError extends DomainError {
  readonly code = 'person_not_found';

  constructor(readonly personId: string) {
    super(`person ${personId} is not registered`);
  }
}

/** The person has been deactivated and can no longer be changed (HTTP 409). */
export class PersonDeactivatedError extends DomainError {
  readonly code = 'person_deactivated';

  constructor(readonly personId: string) {
    super(`person ${personId} is deactivated`);
  }
}

/**
 * A reminder, chaser or automatic escalation found the return no longer at the step it was
 * scheduled for (e.g. already submitted). The job that fired it should simply stop.
 */
export class NoticeNoLongerDueError extends DomainError {
  readonly code = 'notice_no_longer_due';

  constructor(
    readonly rule: string,
    readonly currentState: string,
  ) {
    super(`${rule} is no longer due; current state: ${currentState}`);
  }
}

/** An escalation would not raise the level (none → dmt → clt, never down or sideways). */
export class EscalationNotHigherError extends DomainError {
  readonly code = 'escalation_not_higher';

  constructor(
    readonly currentLevel: string,
    readonly requestedLevel: string,
  ) {
    super(`the return is already escalated to ${currentLevel}; cannot escalate to ${requestedLevel}`);
  }
}

/** A cycle deadline may only move later (HTTP 400). */
export class DeadlineNotLaterError extends DomainError {
  readonly code = 'deadline_not_later';

  constructor(
    readonly deadline: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${deadline} can only be extended: ${to} is not after ${from}`);
  }
}

/**
 * The first administrator is added from the command line only while the directory has no
 * performance-team member, unless forced with a reason (HTTP/exit: conflict).
 */
export class DirectoryAlreadyAdministeredError extends DomainError {
  readonly code = 'directory_already_administered';
  readonly currentState = 'administered';

  constructor(readonly performanceTeam: readonly string[]) {
    super(
      `the directory already has ${performanceTeam.length === 1 ? 'a performance-team member' : 'performance-team members'} ` +
        `(${performanceTeam.join(', ')}): add people through the API, or force with a reason`,
    );
  }
}

/** Two KPI ids would differ only in case, e.g. `ph-01` beside `PH-01` (HTTP 409). */
export class KpiIdClashError extends DomainError {
  readonly code = 'kpi_id_clash';

  constructor(
    readonly kpiId: string,
    readonly existingKpiId: string,
  ) {
    super(`KPI ${kpiId} would clash with ${existingKpiId}: KPI ids are unique regardless of case`);
  }
}

/** Another person of the directory already signs in with this sign-in id (HTTP 409). */
export class SignInIdTakenError extends DomainError {
  readonly code = 'sign_in_id_taken';

  constructor(
    readonly signInId: string,
    readonly holderPersonId: string,
  ) {
    super(`signInId: ${signInId} is already the sign-in id of ${holderPersonId}; a sign-in id names one person of the directory`);
  }
}
