import { createHash } from 'node:crypto';
import AdmZip from 'adm-zip';
import { eventCodec, type EventCodec } from '@quarterly/event-codec';
import { anchorOf, INTEGRITY_ANCHOR_STREAM, InMemoryEventLog, verifyEventLog, type RecordedEvent } from '@quarterly/event-store';
import { EVIDENCE_PACK_FORMAT, unpackEvent, type EvidencePackManifest, type PackedEvent } from './evidence-pack.format';

export interface PackProblem {
  /** The file at fault. */
  readonly file: string;
  readonly kind: string;
  readonly detail: string;
  readonly streamId?: string;
  readonly eventId?: string;
}

export interface PackVerification {
  readonly ok: boolean;
  readonly subject: EvidencePackManifest['subject'] | null;
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  readonly anchorsChecked: number;
  /** Events of the subject after the last anchor in the pack: chained, not yet anchored. */
  readonly unanchoredEvents: number;
  readonly firstProblem?: PackProblem;
  readonly problems: readonly PackProblem[];
}

/**
 * Checks an evidence pack with nothing but the pack (and, if given, the auditors' digest): every
 * file against the manifest, every event against its hash and its stream's chain from revision
 * 0, every anchor against the streams it records and against its own chain (and the digest),
 * and every history entry against the event it cites. Names the first thing that does not match.
 */
export async function verifyEvidencePack(
  archive: Buffer,
  options: { readonly digest?: string; /** @defaultValue the engine's codec */ readonly codec?: EventCodec } = {},
): Promise<PackVerification> {
  const problems: PackProblem[] = [];
  const empty = { subject: null, eventsChecked: 0, streamsChecked: 0, anchorsChecked: 0, unanchoredEvents: 0 };
  let zip: AdmZip;
  try {
    zip = new AdmZip(archive);
  } catch (error) {
    return refused([{ file: '(archive)', kind: 'not_an_archive', detail: `not a zip archive: ${(error as Error).message}` }], empty);
  }
  const entries = new Map(zip.getEntries().filter((entry) => !entry.isDirectory).map((entry) => [entry.entryName, entry.getData()]));
  const manifestFile = entries.get('manifest.json');
  if (manifestFile === undefined) return refused([{ file: 'manifest.json', kind: 'missing_file', detail: 'the archive has no manifest.json' }], empty);
  const manifest = parse<EvidencePackManifest>(manifestFile, 'manifest.json', problems);
  if (manifest === undefined) return refused(problems, empty);
  if (manifest.format !== EVIDENCE_PACK_FORMAT) {
    return refused([{ file: 'manifest.json', kind: 'unknown_format', detail: `format ${String(manifest.format)} is not ${EVIDENCE_PACK_FORMAT}` }], empty);
  }

  for (const [name, expected] of Object.entries(manifest.files)) {
    const content = entries.get(name);
    if (content === undefined) problems.push({ file: name, kind: 'missing_file', detail: `${name} is listed in the manifest but not in the archive` });
    else if (createHash('sha256').update(content).digest('hex') !== expected) {
      problems.push({ file: name, kind: 'file_changed', detail: `${name} does not match its SHA-256 in the manifest` });
    }
  }
  for (const name of entries.keys()) {
    if (name !== 'manifest.json' && !(name in manifest.files)) problems.push({ file: name, kind: 'unlisted_file', detail: `${name} is not in the manifest` });
  }

  const events = (parse<PackedEvent[]>(entries.get('events.json'), 'events.json', problems) ?? []).map(unpackEvent);
  const anchors = (parse<PackedEvent[]>(entries.get('anchors.json'), 'anchors.json', problems) ?? []).map(unpackEvent);
  const log = new InMemoryEventLog([...events, ...anchors]);
  let anchorsChecked = 0;
  const streamIds = [...new Set(events.map((event) => event.streamId))].sort();
  for (const streamId of streamIds) {
    const report = await verifyEventLog(log, { streamId });
    anchorsChecked += report.anchorsChecked;
    for (const problem of report.problems) problems.push({ file: 'events.json', kind: problem.kind, detail: problem.detail, streamId, ...(problem.eventId ? { eventId: problem.eventId } : {}) });
  }
  for (const listed of manifest.streams) {
    if (!streamIds.includes(listed.streamId)) problems.push({ file: 'events.json', kind: 'missing_stream', detail: `stream ${listed.streamId} is in the manifest but has no events`, streamId: listed.streamId });
  }
  const anchorReport = await verifyEventLog(log, { streamId: INTEGRITY_ANCHOR_STREAM, ...(options.digest !== undefined ? { digest: options.digest } : {}) });
  for (const problem of anchorReport.problems) problems.push({ file: 'anchors.json', kind: problem.kind, detail: problem.detail, ...(problem.eventId ? { eventId: problem.eventId } : {}) });

  checkHistory(entries.get('history.json'), events, problems, options.codec ?? eventCodec);

  const lastAnchor = anchors[anchors.length - 1];
  const lastAnchored = lastAnchor === undefined ? -1n : BigInt(anchorOf(lastAnchor).throughPosition);
  return {
    ok: problems.length === 0,
    subject: manifest.subject,
    eventsChecked: events.length,
    streamsChecked: streamIds.length,
    anchorsChecked,
    unanchoredEvents: events.filter((event) => event.position > lastAnchored).length,
    ...(problems[0] !== undefined ? { firstProblem: problems[0] } : {}),
    problems,
  };
}

/** Each history entry must cite an event of the pack, and carry the value that event holds. */
function checkHistory(file: Buffer | undefined, events: readonly RecordedEvent[], problems: PackProblem[], codec: EventCodec): void {
  const history = parse<Array<{ eventId: string; kind: string; value: string | null; actor: string }>>(file, 'history.json', problems) ?? [];
  const byId = new Map(events.map((event) => [event.id, event]));
  for (const entry of history) {
    const event = byId.get(entry.eventId);
    if (event === undefined) {
      problems.push({ file: 'history.json', kind: 'history_mismatch', detail: `entry ${entry.eventId} cites no event of the pack`, eventId: entry.eventId });
      continue;
    }
    const value = reportedValueOf(codec, event);
    if (value !== undefined && value !== entry.value) {
      problems.push({
        file: 'history.json',
        kind: 'history_mismatch',
        detail: `entry ${entry.eventId} shows ${String(entry.value)} where its event ${event.type} holds ${String(value)}`,
        streamId: event.streamId,
        eventId: entry.eventId,
      });
    }
  }
}

/** The figure an event reports or approves, upcast as the history was; undefined for other events. */
function reportedValueOf(codec: EventCodec, event: RecordedEvent): string | null | undefined {
  const decoded = codec.decode(event);
  switch (decoded.type) {
    case 'ReturnSubmitted':
    case 'ReturnResubmitted':
    case 'ReturnRestated':
    case 'ReturnApproved':
    case 'ReturnFigureImported':
      return decoded.data.value;
    default:
      return undefined;
  }
}

function parse<T>(content: Buffer | undefined, file: string, problems: PackProblem[]): T | undefined {
  if (content === undefined) {
    problems.push({ file, kind: 'missing_file', detail: `the archive has no ${file}` });
    return undefined;
  }
  try {
    return JSON.parse(content.toString('utf8')) as T;
  } catch {
    problems.push({ file, kind: 'not_json', detail: `${file} is not JSON` });
    return undefined;
  }
}

function refused(problems: PackProblem[], counts: Omit<PackVerification, 'ok' | 'problems' | 'firstProblem'>): PackVerification {
  return { ok: false, ...counts, firstProblem: problems[0]!, problems };
}
