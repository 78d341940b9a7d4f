import type { AuditEntry } from '@quarterly/read-models';

/** Audit entries with their 64-bit positions as strings, for JSON. */
export function auditView(entries: readonly AuditEntry[]) {
  return {
    entries: entries.map((entry) => ({ ...entry, position: String(entry.position), revision: String(entry.revision) })),
  };
}
