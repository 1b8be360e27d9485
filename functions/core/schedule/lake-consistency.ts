/**
 * Does the query engine see the rows ingest says it wrote? The coverage index (written by ingest, read from S3)
 * and the KPI document (computed by the query engine over the lake tables) are two independent accounts of the
 * same period. When they disagree, the engine is reading something other than the lake ingest wrote: a
 * partition projection, table location or catalog slip makes Athena answer with no rows at all, and without
 * this check a report went out "complete" with 0 contacts beside a footer of "4 files · 1,528 rows read".
 *
 * Bounds, per period, over the contacts coverage entries of the period's dates that were not rejected:
 * - at least, per business date and source, the largest delivery's rows: the lake keeps every contact of the
 *   newest copy of each contact id, so redeliveries of one source never leave fewer rows than one of them wrote;
 * - at most the sum of every delivery's rows (reported beside the minimum, not enforced).
 * The engine's count is every contact row of the period: inbound, outbound and excluded. A count below the
 * minimum holds the report back (`failed-inconsistent`): nothing goes to the client, the operator is told.
 */
import type { ClientConfig } from '../config/client-config.ts';
import type { CoverageEntry } from '../ingest/coverage.ts';
import type { KpiDocument, Period } from '../kpis/kpi-result.ts';
import { lakeKeys } from '../ingest/manifest.ts';
import type { Mailer, ObjectStore, OutgoingEmail } from '../ports.ts';
import { operatorOf, senderOf } from '../report/email.ts';
import { escapeHtml as esc } from '../report/escape.ts';
import { composeMime, noticeMessageId } from '../report/mime.ts';

export interface RowBounds {
  min: number;
  max: number;
}

export type LakeConsistency =
  | { ok: true; rows: number; bounds: RowBounds }
  | { ok: false; rows: number; bounds: RowBounds; reason: string };

/** What the coverage entries say the lake holds for the period's contacts. */
export function contactRowBounds(entries: readonly CoverageEntry[], period: { start: string; end: string }): RowBounds {
  const largest = new Map<string, number>();
  let max = 0;
  for (const e of entries) {
    if (e.table !== 'contacts' || e.rejected !== undefined || e.dt < period.start || e.dt > period.end) continue;
    max += e.rows;
    const key = `${e.dt}|${e.source}`;
    largest.set(key, Math.max(largest.get(key) ?? 0, e.rows));
  }
  let min = 0;
  for (const rows of largest.values()) min += rows;
  return { min, max };
}

/** Every contact row of the period's current figures, as the engine counted them. */
export const engineContactRows = (doc: KpiDocument): number => doc.current.total.inbound + doc.current.total.outbound + doc.current.total.excluded;

export function checkLakeConsistency(doc: KpiDocument, entries: readonly CoverageEntry[]): LakeConsistency {
  const bounds = contactRowBounds(entries, doc.period);
  const rows = engineContactRows(doc);
  // Only too few rows hold a report back. Too many is checked by no one here: rows a delivery wrote on a date
  // its coverage entry was later rewritten for (a corrected export moving a contact) can exceed the sum, and
  // the failure this guards against, an engine reading the wrong place, shows as missing rows.
  if (rows >= bounds.min) return { ok: true, rows, bounds };
  const expected = bounds.min === bounds.max ? `${bounds.max}` : `${bounds.min}–${bounds.max}`;
  return {
    ok: false,
    rows,
    bounds,
    reason: `the query engine counted ${rows} contacts for ${doc.period.start}…${doc.period.end}, where the coverage index of the deliveries says ${expected}`,
  };
}

export interface InconsistencyNotice {
  messageId: string;
  subject: string;
  email: OutgoingEmail;
}

/** A short message to the operator: the report was held back, and why. */
export async function buildInconsistencyNotice(config: ClientConfig, period: Period, check: LakeConsistency, now: Date): Promise<InconsistencyNotice> {
  const from = senderOf(config);
  const to = operatorOf(config);
  const subject = `[cspulse] ${config.name}: ${period.kind} report ${period.start} held back, the query engine disagrees with the coverage index`;
  const text =
    `The ${period.kind} report of ${config.name} (${config.id}) for ${period.start}…${period.end} was not sent: ` +
    `${check.ok ? 'the figures are consistent' : check.reason}. ` +
    'Check the Glue tables (location, partition projection) and the Athena workgroup, then send the report again.';
  const messageId = noticeMessageId(config.id, period.kind, `${period.start}.inconsistent`, from);
  const raw = await composeMime({
    from: `"cspulse" <${from}>`,
    to: [to],
    cc: [],
    subject,
    html: `<!doctype html><html lang="en"><body style="font-family:Arial,sans-serif"><p>${esc(text)}</p></body></html>`,
    text: `${text}\n`,
    images: [],
    attachments: [],
    messageId,
    date: now,
    headers: { 'X-Cspulse-Report': `${config.id}/${period.kind}/${period.start}/inconsistent`, 'Auto-Submitted': 'auto-generated' },
  });
  return { messageId, subject, email: { from, to: [to], cc: [], raw, subject, tags: { client: config.id, report: `${period.kind}-inconsistent` } } };
}

/** Marker of a notice already sent for this period and coverage: the scheduled retries do not repeat it. */
export const inconsistencyMarkerKey = (clientId: string, period: Period, coverageDigest: string): string =>
  `${lakeKeys.deliveriesPrefix(clientId)}${period.kind}/${period.start}.inconsistent-${coverageDigest.slice(0, 16)}.json`;

/**
 * The report is not sent. The operator hears of it once per period and coverage (a retry with the same coverage
 * is quiet; a new delivery, which may fix or change the disagreement, is told again).
 * @returns whether this run sent the notice
 */
export async function holdBackInconsistentReport(
  deps: { lake: ObjectStore; mailer: Mailer },
  config: ClientConfig,
  period: Period,
  check: Extract<LakeConsistency, { ok: false }>,
  coverageDigest: string,
  now: Date,
): Promise<boolean> {
  const marker = JSON.stringify({ reason: check.reason, rows: check.rows, bounds: check.bounds, at: now.toISOString() });
  if (!(await deps.lake.putIfAbsent(inconsistencyMarkerKey(config.id, period, coverageDigest), marker, { contentType: 'application/json' }))) return false;
  const notice = await buildInconsistencyNotice(config, period, check, now);
  await deps.mailer.send(notice.email);
  return true;
}
