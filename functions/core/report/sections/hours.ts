/**
 * The charts' series: the daily trend with the contract's line and target, and the hourly profile with the
 * service level of the channel the contract judges it on; and the peak hour.
 */
import type { HourlyResult } from '../../kpis/kpi-result.ts';
import type { ChartSeries } from '../model.ts';
import { channelLabel, type ReportContext } from './context.ts';

export interface HoursSection {
  trend: ChartSeries | null;
  trendCaption: string | null;
  hourly: HourlyResult[];
  hourlyLine: ChartSeries | null;
  peakHour: number | null;
  peakHourText: string | null;
}

export function hoursSection(ctx: ReportContext): HoursSection {
  const { doc, f, msg, noData } = ctx;
  let peakHour: number | null = doc.peak_hour ?? null;
  const peakOffered = peakHour === null ? 0 : (doc.hourly.find((h) => h.hour === peakHour)?.offered ?? 0);
  if (peakOffered === 0) peakHour = null;

  // Charts follow the contract: the line is the first service-level target's KPI on its channel, with its target.
  const slTarget = doc.sla.find((r) => r.kpi === 'service_level');
  const trendKey = ctx.config.reports.trend_line;
  const lineTarget = doc.sla.find((r) => r.kpi === trendKey);
  const lineChannel = lineTarget?.channel ?? null;
  const lineLabel = lineChannel === null ? msg.kpi[trendKey] : channelLabel(f, lineChannel, trendKey);
  const trend: ChartSeries | null =
    noData || doc.daily.length <= 1
      ? null
      : {
          label: lineLabel,
          channel: lineChannel,
          points: doc.daily.map((p) => ({
            label: f.shortDate(p.dt),
            offered: p.offered,
            line: lineChannel === null ? p[trendKey] : (p.by_channel[lineChannel]?.[trendKey] ?? null),
          })),
          target: trendKey === 'service_level' ? (slTarget?.target ?? null) : (lineTarget?.target ?? null),
        };
  const slChannel = slTarget?.channel ?? null;
  const slLabel = slChannel === null ? msg.kpi.service_level : channelLabel(f, slChannel, 'service_level');
  const hourlyLine: ChartSeries | null =
    noData || !doc.hourly.some((h) => h.offered > 0)
      ? null
      : {
          label: slLabel,
          channel: slChannel,
          points: doc.hourly.map((h) => ({
            label: String(h.hour),
            offered: h.offered,
            line: slChannel === null ? h.service_level : (h.by_channel?.[slChannel]?.service_level ?? null),
          })),
          target: slTarget?.target ?? null,
        };
  return {
    trend,
    trendCaption: trend === null ? null : msg.trendCaption(trend.label, trend.target === null ? null : f.percent(trend.target)),
    hourly: doc.hourly,
    hourlyLine,
    peakHour,
    peakHourText: peakHour === null ? null : msg.peakHour(msg.hourLabel(peakHour), f.count(peakOffered)),
  };
}
