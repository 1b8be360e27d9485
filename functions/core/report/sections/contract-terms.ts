/** The footnote of the contract terms the report was measured with. */
import { channelParameters, contractInForce } from '../../config/client-config.ts';
import { cut } from '../text-limits.ts';
import { clientChannels } from './channels.ts';
import type { ReportContext } from './context.ts';

export function contractNotes(ctx: ReportContext): string[] {
  const { doc, f, msg } = ctx;
  const terms = doc.contract;
  const version = contractInForce(ctx.config, doc.period.start);
  // only the client's channels: a shop without a board is not told its board's threshold
  const thresholdList = clientChannels(ctx)
    .map((ch) => {
      const seconds = terms.service_level_seconds[ch] ?? (version ? channelParameters(version, ch).serviceLevelSeconds : null);
      return seconds === null ? null : `${msg.channel[ch]} ${f.duration(seconds)}`;
    })
    .filter((x): x is string => x !== null)
    .join(', ');
  const notes = [msg.contract.effectiveFrom(f.date(terms.effective_from, true)), msg.contract.formula[terms.service_level_formula]];
  if (thresholdList.length > 0) notes.push(msg.contract.thresholds(thresholdList));
  notes.push(msg.contract.windows(f.count(terms.repeat_window_hours), f.count(terms.fcr_window_hours)));
  if (doc.current.total.fcr_provisional) notes.push(msg.contract.provisionalFcr);
  for (const from of terms.later_versions_in_period ?? []) notes.push(msg.contract.changedInPeriod(f.date(from, true)));
  if (terms.note !== null) notes.push(cut(terms.note, 300));
  return notes;
}
