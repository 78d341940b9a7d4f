import type { Role } from '@quarterly/domain';

/** Who may check the stored history and take evidence away: auditors and the performance team. */
export const AUDITORS = ['auditor', 'performance-team'] as const satisfies readonly Role[];

export function isAuditor(roles: readonly Role[]): boolean {
  return roles.some((role) => (AUDITORS as readonly Role[]).includes(role));
}
