/** The data-quality footer, and the one summary of missing source-days the subject, banner and actions share. */
import type { PeriodCompleteness } from '../completeness.ts';
import type { Formatter } from '../format.ts';
import type { ReportContext } from './context.ts';

/** "cti 3/17, chat 3/17–3/18", and "cti 3/19 (file rejected)" for a day whose export came and was rejected */
export function missingSummary(c: PeriodCompleteness, f: Formatter): string | null {
  if (c.missing.length === 0) return null;
  const bySource = new Map<string, { absent: string[]; rejected: string[] }>();
  for (const m of c.missing) {
    const days = bySource.get(m.source) ?? { absent: [], rejected: [] };
    (m.rejected ? days.rejected : days.absent).push(m.dt);
    bySource.set(m.source, days);
  }
  const mark = f.messages.dataQuality.rejectedMark;
  return [...bySource]
    .flatMap(([source, days]) => [
      ...(days.absent.length > 0 ? [`${source} ${f.dayList(days.absent)}`] : []),
      ...(days.rejected.length > 0 ? [`${source} ${f.dayList(days.rejected)} ${mark}`] : []),
    ])
    .join(', ');
}

export function dataQualityLines(ctx: ReportContext): string[] {
  const { completeness, f, doc } = ctx;
  const dq = ctx.msg.dataQuality;
  const lines: string[] = [];
  if (completeness.files === 0) lines.push(dq.noFiles);
  else lines.push(dq.files(f.count(completeness.files), f.count(completeness.rowsRead), f.count(completeness.rowsQuarantined)));
  for (const s of completeness.sources) {
    const missing = s.days.filter((d) => d.state === 'missing' && d.rejected === 0).map((d) => d.dt);
    const rejected = s.days.filter((d) => d.state === 'missing' && d.rejected > 0).map((d) => d.dt);
    const pending = s.days.filter((d) => d.state === 'pending').map((d) => d.dt);
    const late = s.days.filter((d) => d.state === 'received' && d.late).map((d) => d.dt);
    if (missing.length > 0) lines.push(dq.missingDays(s.source, f.dayList(missing)));
    if (rejected.length > 0) lines.push(dq.rejectedDays(s.source, f.dayList(rejected)));
    if (pending.length > 0) lines.push(dq.pendingDays(s.source, f.dayList(pending)));
    if (late.length > 0) lines.push(dq.lateDays(s.source, f.dayList(late)));
  }
  if (completeness.complete) lines.push(dq.complete);
  if (doc.data_through !== null && !ctx.noData) lines.push(dq.dataThrough(f.instant(doc.data_through)));
  return lines;
}
