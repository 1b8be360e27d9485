/**
 * The account manager's note on a report: what the CS lead knows of the period that the data does not say
 * ("3/4 택배사 파업"). One Markdown file per client, report kind and period,
 * `notes/client_id=<client>/<kind>/<period start>.md`, in the config store: the clients folder locally (`cspulse
 * note` writes it), the lake bucket on AWS (where every prefix of a client is `…client_id=<client>/`, which its
 * roles are scoped to). The report shows it under the verdict as 담당자 코멘트, as text (escaped by the
 * renderers, cut to MAX_NOTE_CHARS); a correction of the report shows it again.
 */
import type { PeriodKind } from '../kpis/kpi-result.ts';
import type { ObjectStore } from '../ports.ts';
import { cut } from './text-limits.ts';

export const MAX_NOTE_CHARS = 1_000;

export const noteKey = (clientId: string, kind: PeriodKind, periodStart: string): string => `notes/client_id=${clientId}/${kind}/${periodStart}.md`;

/** The note as the report shows it: whitespace runs folded (a note is one paragraph in the e-mail), cut. */
export function noteText(raw: string): string | null {
  const text = raw.replace(/\r\n?/g, '\n').replace(/[ \t]+/g, ' ').replace(/\n{2,}/g, '\n').trim();
  return text === '' ? null : cut(text, MAX_NOTE_CHARS);
}

/** The note of a period, or null when there is none (or it cannot be read: a report never waits for a note). */
export async function readNote(store: ObjectStore, clientId: string, kind: PeriodKind, periodStart: string): Promise<string | null> {
  const key = noteKey(clientId, kind, periodStart);
  try {
    if ((await store.head(key)) === undefined) return null;
    return noteText(new TextDecoder().decode(await store.get(key)));
  } catch {
    return null;
  }
}
