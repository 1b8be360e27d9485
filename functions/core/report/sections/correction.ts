/**
 * What a restatement compares (every figure the report shows), and, for a report that corrects one already
 * sent, the figures and verdicts that moved.
 */
import { CHANNELS } from '../../tables.ts';
import { materiallyChanged } from '../compare.ts';
import { KPI_META } from '../kpi-meta.ts';
import type { ChangeLine, ContractCard, KpiFigure, PreviousReport, ReportModel, ShownFigure } from '../model.ts';
import { channelLabel, type ReportContext } from './context.ts';
import { verdictText } from './contract.ts';

export function shownFigures(
  ctx: ReportContext,
  contract: readonly ContractCard[],
  keyFigures: readonly KpiFigure[],
  surveys: readonly KpiFigure[],
  cost: KpiFigure | null,
): ShownFigure[] {
  const { doc, f } = ctx;
  return [
    ...contract.map((c) => ({ key: c.key, label: c.label, kind: KPI_META[c.kpi].kind, value: c.value, verdict: c.verdict })),
    ...keyFigures.map((k) => ({ key: `kpi:${k.key}`, label: k.label, kind: KPI_META[k.key].kind, value: k.value })),
    ...CHANNELS.flatMap((ch) => {
      const k = doc.current.by_channel[ch];
      if (k === undefined || ctx.noData) return [];
      return (['offered', 'answer_rate', 'service_level', 'abandon_rate', 'asa_seconds'] as const).map((key) => ({
        key: `channel:${ch}:${key}`,
        label: channelLabel(f, ch, key),
        kind: KPI_META[key].kind,
        value: k[key],
      }));
    }),
    ...surveys.map((s) => ({ key: `survey:${s.key}`, label: s.label, kind: KPI_META[s.key].kind, value: s.value })),
    ...(cost === null ? [] : [{ key: 'cost', label: cost.label, kind: 'money' as const, value: cost.value }]),
  ];
}

export function correctionSection(ctx: ReportContext, figures: readonly ShownFigure[], previous: PreviousReport | null | undefined): ReportModel['correction'] {
  if (previous == null) return null;
  const { f, msg } = ctx;
  const changes: ChangeLine[] = [];
  // a report that went out without data showed nothing: every figure now shown is new
  const prevEmpty = Object.keys(previous.figures).length === 0;
  for (const fig of figures) {
    if (!(fig.key in previous.figures) && !prevEmpty) continue;
    const before = previous.figures[fig.key] ?? null;
    const verdictBefore = previous.verdicts[fig.key];
    if (materiallyChanged(fig.kind, before, fig.value)) {
      changes.push({ key: fig.key, text: msg.correction.change(fig.label, f.value(fig.kind, before), f.value(fig.kind, fig.value)) });
    } else if (fig.verdict !== undefined && verdictBefore !== undefined && verdictBefore !== fig.verdict) {
      changes.push({ key: fig.key, text: msg.correction.verdict(fig.label, verdictText(ctx, verdictBefore), verdictText(ctx, fig.verdict)) });
    }
  }
  return { notice: msg.banners.corrected(f.instant(previous.sentAt)), intro: msg.correction.intro(f.instant(previous.sentAt)), changes };
}
