import { createHash } from 'node:crypto';
import AdmZip from 'adm-zip';
import { stringify } from 'csv-stringify/sync';
import { cycleStreamId, kpiStreamId, streamSafePeriodId, type PeriodId } from '@quarterly/domain';
import { anchorOf, INTEGRITY_ANCHOR_STREAM, type EventStore, type RecordedEvent } from '@quarterly/event-store';
import {
  getCycle,
  getCycleValueHistory,
  getScorecard,
  getValueHistory,
  listSubjectStreams,
  type ReadModelSchema,
  type ValueHistoryEntry,
} from '@quarterly/read-models';
import type { Kysely } from 'kysely';
import { EVIDENCE_PACK_FORMAT, packEvent, type EvidencePackManifest, type EvidenceSubject } from './evidence-pack.format';

export interface EvidencePack {
  /** `quarterly-evidence-kpi-ENV-01-20261130T101500Z.zip` */
  readonly fileName: string;
  readonly archive: Buffer;
  readonly manifest: EvidencePackManifest;
}

/**
 * One archive an auditor takes away for a KPI or a cycle: the events of every stream of the
 * subject, whole, with their hashes (`events.json`); the anchors that record those streams
 * (`anchors.json`, the anchor stream from its start, so its own chain can be checked); the
 * reported values' history (`history.json`, `history.csv`); the scorecard as it stood when each
 * cycle was closed and published (`scorecards/`); a README on checking it offline; and a manifest
 * with every file's SHA-256. Undefined when the subject has no events.
 *
 * The events are read from the store, not the read models: they are the evidence; the history
 * and scorecards are derived conveniences that `verify-pack` holds against them.
 */
export async function buildEvidencePack(
  store: EventStore,
  db: Kysely<ReadModelSchema>,
  subject: EvidenceSubject,
  now: Date,
): Promise<EvidencePack | undefined> {
  const ownStream = subject.kind === 'kpi' ? kpiStreamId(subject.kpiId) : cycleStreamId(subject.cycleId as PeriodId);
  const listed = await listSubjectStreams(db, subject.kind === 'kpi' ? { kpiId: subject.kpiId } : { cycleId: subject.cycleId });
  const streamIds = [...new Set([ownStream, ...listed])].sort();
  const streams = new Map<string, RecordedEvent[]>();
  for (const streamId of streamIds) {
    const events = await store.readStream(streamId);
    if (events.length > 0) streams.set(streamId, events);
  }
  if (streams.size === 0) return undefined;
  const events = [...streams.values()].flat().sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));

  const allAnchors = await store.readStream(INTEGRITY_ANCHOR_STREAM);
  const covering = allAnchors.filter((anchor) =>
    anchorOf(anchor).streamHeads.some((head) => streams.has(head.streamId)),
  );
  const lastCovering = covering[covering.length - 1];
  const anchors = lastCovering === undefined ? [] : allAnchors.filter((anchor) => anchor.revision <= lastCovering.revision);
  const lastAnchored = allAnchors.length === 0 ? -1n : BigInt(anchorOf(allAnchors[allAnchors.length - 1]!).throughPosition);

  const history = subject.kind === 'kpi' ? await getValueHistory(db, { kpiId: subject.kpiId }) : await getCycleValueHistory(db, subject.cycleId);
  const scorecards = await publishedScorecards(db, subject, history);

  const files = new Map<string, Buffer>();
  const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
  files.set('README.txt', Buffer.from(readme(subject, now)));
  files.set('events.json', json(events.map(packEvent)));
  files.set('anchors.json', json(anchors.map(packEvent)));
  files.set('history.json', json(history));
  files.set('history.csv', Buffer.from(historyCsv(history)));
  for (const [name, scorecard] of scorecards) files.set(`scorecards/${name}`, json(scorecard));

  const manifest: EvidencePackManifest = {
    format: EVIDENCE_PACK_FORMAT,
    subject,
    generatedAt: now.toISOString(),
    streams: [...streams.entries()].map(([streamId, streamEvents]) => {
      const head = streamEvents[streamEvents.length - 1]!;
      return { streamId, events: streamEvents.length, headRevision: head.revision.toString(), headHash: head.metadata.integrity?.hash ?? null };
    }),
    anchors: anchors.length,
    unanchoredEvents: events.filter((event) => event.position > lastAnchored).length,
    files: Object.fromEntries([...files.entries()].map(([name, content]) => [name, sha256(content)])),
  };
  const zip = new AdmZip();
  zip.addFile('manifest.json', json(manifest));
  for (const [name, content] of files) zip.addFile(name, content);
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = subject.kind === 'kpi' ? `kpi-${subject.kpiId}` : `cycle-${streamSafePeriodId(subject.cycleId as PeriodId)}`;
  return { fileName: `quarterly-evidence-${name}-${stamp}.zip`, archive: zip.toBuffer(), manifest };
}

/** The scorecard (for a KPI: its entry) as it stood when each of the subject's cycles was closed. */
async function publishedScorecards(
  db: Kysely<ReadModelSchema>,
  subject: EvidenceSubject,
  history: readonly ValueHistoryEntry[],
): Promise<Array<[string, unknown]>> {
  const cycleIds = subject.kind === 'cycle' ? [subject.cycleId] : [...new Set(history.map((entry) => entry.cycleId))].sort();
  const result: Array<[string, unknown]> = [];
  for (const cycleId of cycleIds) {
    const cycle = await getCycle(db, cycleId);
    if (cycle?.closedAt == null) continue;
    const scorecard = await getScorecard(db, cycleId, { asAt: cycle.closedAt });
    const name = `${streamSafePeriodId(cycleId as PeriodId)}-published-${cycle.closedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.json`;
    result.push([
      name,
      subject.kind === 'cycle'
        ? scorecard
        : { cycleId, asAt: scorecard.asAt, entry: scorecard.entries.find((entry) => entry.kpiId === subject.kpiId) ?? null },
    ]);
  }
  return result;
}

const CSV_COLUMNS = [
  'position', 'eventId', 'kpiId', 'cycleId', 'periodCovered', 'kind', 'value', 'status', 'actor', 'recordedAt',
  'commentary', 'reason', 'offTargetReason', 'routeToGreen', 'dataQualityNotes',
] as const;

/** One row per history entry. Text that a spreadsheet would run as a formula starts with a quote. */
function historyCsv(history: readonly ValueHistoryEntry[]): string {
  const text = (value: string | null) => (value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value ?? '');
  return stringify(
    history.map((entry) => [
      entry.position.toString(), entry.eventId, entry.kpiId, entry.cycleId, entry.periodCovered, entry.kind,
      entry.value ?? '', entry.status ?? '', text(entry.actor), entry.recordedAt,
      text(entry.commentary), text(entry.reason), text(entry.offTargetReason), text(entry.routeToGreen), text(entry.dataQualityNotes),
    ]),
    { header: true, columns: [...CSV_COLUMNS] },
  );
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function readme(subject: EvidenceSubject, now: Date): string {
  const what = subject.kind === 'kpi' ? `KPI ${subject.kpiId}` : `reporting cycle ${subject.cycleId}`;
  return `Quarterly evidence pack: ${what}
Made ${now.toISOString()}.

WHAT IS IN IT
  events.json    Every event of every stream of the subject, whole, as stored, with its hash and
                 the previous event's hash in its stream (metadata.integrity).
  anchors.json   The integrity anchors from the first up to the last one recording these streams:
                 each fixes a block of the global order by a Merkle root and where each stream
                 stood at its end.
  history.json   Every value reported, challenged, approved or restated, with who, when and why.
  history.csv    The same, for a spreadsheet.
  scorecards/    The scorecard as it stood when each cycle was closed and published.
  manifest.json  The SHA-256 of every other file.

HOW TO CHECK IT OFFLINE (no access to the council's systems is needed)
  1. With the Quarterly source:  npm run quarterly -- verify-pack <this file.zip>
     Add --digest <file> to hold the anchors against the digest lines you kept at each anchor.
  2. It recomputes every event's hash from its content, checks each stream's chain from its
     first event, checks that every anchor still finds each stream where it recorded it, checks
     the anchors' own chain, that the history matches the events it cites, and every file
     against the manifest. It names the first thing that does not match; exit status 0 means
     none did.
  3. Hash rule (to re-implement it): SHA-256 over the canonical JSON (keys sorted, no spaces) of
     ["quarterly-event-v1", previousHash, streamId, revision as a string, id, type,
      schemaVersion, data, metadata without its integrity member]. A stream's first
     previousHash is 64 zeros.

WHAT IT CANNOT PROVE
  Events after the last anchor are chained but not yet anchored (manifest: unanchoredEvents).
  The anchors prove what they record only against a copy kept outside the council's database:
  the auditors' digest (GET /audit/integrity/digest) or the log lines written at each anchor.
`;
}
