/**
 * The data-quality footer, and the one summary of the source-days a report lacks that the subject, the banner
 * and the actions share ("전화 3/24 (형식 오류 144건), 채팅 3/24"). Sources are named by their label, never by id.
 */
import type { DayFailure, PeriodCompleteness } from '../completeness.ts';
import type { Formatter } from '../format.ts';
import type { ReportContext } from './context.ts';

type Mark = 'absent' | 'rejected' | 'quarantined' | 'empty';

const markOf = (failure: DayFailure | null): Mark => (failure === null ? 'absent' : failure.kind);

/** "전화 3/17, 채팅 3/17–3/18", "전화 3/19 (파일 오류)", "전화 3/24 (형식 오류 144건)" */
export function missingSummary(c: PeriodCompleteness, f: Formatter, labels: ReadonlyMap<string, string>): string | null {
  if (c.missing.length === 0) return null;
  const groups = new Map<string, { source: string; mark: Mark; days: string[]; rows: number }>();
  for (const m of c.missing) {
    const mark = markOf(m.failure);
    const key = `${m.source}\0${mark}`;
    const group = groups.get(key) ?? { source: m.source, mark, days: [], rows: 0 };
    group.days.push(m.dt);
    group.rows += m.failure?.quarantined ?? 0;
    groups.set(key, group);
  }
  const dq = f.messages.dataQuality;
  return [...groups.values()]
    .map((g) => {
      const mark = { absent: null, rejected: dq.rejectedMark, quarantined: dq.quarantinedMark(f.count(g.rows)), empty: dq.emptyMark }[g.mark];
      return `${labels.get(g.source) ?? g.source} ${f.dayList(g.days)}${mark === null ? '' : ` ${mark}`}`;
    })
    .join(', ');
}

/** The first reason a failed day gives, for the footer and the operator's notice. */
export function failureDetail(failure: DayFailure, f: Formatter): string {
  const dq = f.messages.dataQuality;
  if (failure.kind === 'empty') return dq.emptyDetail;
  const first = failure.reasons[0];
  if (first === undefined) return f.messages.dash;
  return failure.kind === 'rejected' ? first.reason : dq.failureDetail(first.field, f.count(first.rows), first.reason);
}

export function dataQualityLines(ctx: ReportContext): string[] {
  const { completeness, f, doc } = ctx;
  const dq = ctx.msg.dataQuality;
  const lines: string[] = [];
  if (completeness.files === 0) lines.push(dq.noFiles);
  else lines.push(dq.files(f.count(completeness.files), f.count(completeness.rowsRead), f.count(completeness.rowsQuarantined)));
  for (const s of completeness.sources) {
    const label = ctx.labels.get(s.source) ?? s.source;
    const daysIn = (state: string) => s.days.filter((d) => d.state === state).map((d) => d.dt);
    const missing = daysIn('missing');
    const pending = daysIn('pending');
    const closed = daysIn('closed');
    const late = s.days.filter((d) => d.state === 'received' && d.late).map((d) => d.dt);
    if (missing.length > 0) lines.push(dq.missingDays(label, f.dayList(missing)));
    for (const d of s.days.filter((x) => x.state === 'failed' && x.failure !== null)) {
      lines.push(dq.failedDays(label, f.dayList([d.dt]), failureDetail(d.failure!, f)));
    }
    if (pending.length > 0) lines.push(dq.pendingDays(label, f.dayList(pending)));
    if (closed.length > 0) lines.push(dq.closedDays(label, f.dayList(closed)));
    if (late.length > 0) lines.push(dq.lateDays(label, f.dayList(late)));
  }
  if (completeness.complete) lines.push(dq.complete);
  if (doc.data_through !== null && !ctx.noData) lines.push(dq.dataThrough(f.instant(doc.data_through)));
  return lines;
}
