import type { RecordedEvent } from '@quarterly/event-store';

/** The format written in every pack's manifest; the verifier refuses others. */
export const EVIDENCE_PACK_FORMAT = 'quarterly-evidence-pack/1';

/** What a pack is about: one KPI (its definition and every return), or one reporting cycle. */
export type EvidenceSubject = { readonly kind: 'kpi'; readonly kpiId: string } | { readonly kind: 'cycle'; readonly cycleId: string };

/** An event as written in `events.json` and `anchors.json`: 64-bit numbers as strings. */
export interface PackedEvent {
  readonly position: string;
  readonly streamId: string;
  readonly revision: string;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: RecordedEvent['metadata'];
}

export interface EvidencePackManifest {
  readonly format: typeof EVIDENCE_PACK_FORMAT;
  readonly subject: EvidenceSubject;
  readonly generatedAt: string;
  /** Every stream included, whole, with where it ends. */
  readonly streams: ReadonlyArray<{ readonly streamId: string; readonly events: number; readonly headRevision: string; readonly headHash: string | null }>;
  readonly anchors: number;
  /** The subject's events not yet covered by an anchor when the pack was made (their chains still hold them). */
  readonly unanchoredEvents: number;
  /** SHA-256 (hex) of every other file in the archive, by name. */
  readonly files: Readonly<Record<string, string>>;
}

export function packEvent(event: RecordedEvent): PackedEvent {
  return {
    position: event.position.toString(),
    streamId: event.streamId,
    revision: event.revision.toString(),
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
  };
}

export function unpackEvent(event: PackedEvent): RecordedEvent {
  return { ...event, position: BigInt(event.position), revision: BigInt(event.revision) };
}
