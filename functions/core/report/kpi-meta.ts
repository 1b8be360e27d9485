/**
 * What the report knows about each KPI it shows: the kind of value (how it is formatted and compared), which
 * direction is better, and how many contacts or responses it rests on.
 */
import type { Kpis } from '../kpis/kpi-result.ts';
import type { ValueKind } from './format.ts';
import type { KpiKey } from './messages.ts';

export type Better = 'up' | 'down' | 'none';

export const KPI_META: Record<KpiKey, { kind: ValueKind; better: Better }> = {
  inbound: { kind: 'count', better: 'none' },
  offered: { kind: 'count', better: 'none' },
  answered: { kind: 'count', better: 'none' },
  abandoned: { kind: 'count', better: 'down' },
  callbacks: { kind: 'count', better: 'none' },
  answer_rate: { kind: 'rate', better: 'up' },
  abandon_rate: { kind: 'rate', better: 'down' },
  service_level: { kind: 'rate', better: 'up' },
  asa_seconds: { kind: 'seconds', better: 'down' },
  aht_seconds: { kind: 'seconds', better: 'down' },
  avg_talk_seconds: { kind: 'seconds', better: 'none' },
  avg_acw_seconds: { kind: 'seconds', better: 'down' },
  wait_p90_seconds: { kind: 'seconds', better: 'down' },
  max_wait_seconds: { kind: 'seconds', better: 'down' },
  transfer_rate: { kind: 'rate', better: 'down' },
  self_service_rate: { kind: 'rate', better: 'up' },
  ivr_abandon_rate: { kind: 'rate', better: 'down' },
  repeat_rate: { kind: 'rate', better: 'down' },
  retry_after_abandon_rate: { kind: 'rate', better: 'none' },
  fcr: { kind: 'rate', better: 'up' },
  csat_avg: { kind: 'score', better: 'up' },
  csat_satisfied_rate: { kind: 'rate', better: 'up' },
  nps: { kind: 'nps', better: 'up' },
  ces_avg: { kind: 'score', better: 'up' },
  ces_low_effort_rate: { kind: 'rate', better: 'up' },
  survey_response_rate: { kind: 'rate', better: 'up' },
  cost_per_contact: { kind: 'money', better: 'down' },
  contacts_per_day: { kind: 'decimal', better: 'none' },
  contacts_per_agent_day: { kind: 'decimal', better: 'none' },
};

export const SURVEY_KPIS: ReadonlySet<KpiKey> = new Set(['csat_avg', 'csat_satisfied_rate', 'nps', 'ces_avg', 'ces_low_effort_rate']);

/** How many contacts or responses a KPI of a KPI set rests on: a small n gets no better/worse colour. */
export function sampleSize(key: KpiKey, k: Kpis): number | null {
  switch (key) {
    case 'answer_rate':
    case 'abandon_rate':
    case 'service_level':
      return k.offered - k.short_abandoned;
    case 'asa_seconds':
    case 'aht_seconds':
    case 'avg_talk_seconds':
    case 'avg_acw_seconds':
    case 'wait_p90_seconds':
    case 'max_wait_seconds':
    case 'transfer_rate':
    case 'survey_response_rate':
      return k.answered;
    case 'self_service_rate':
      return k.self_service + k.offered;
    case 'ivr_abandon_rate':
      return k.inbound;
    case 'repeat_rate':
      return k.inbound_with_key;
    case 'retry_after_abandon_rate':
      return k.abandoned_with_key;
    case 'fcr':
      return k.answered_with_key;
    case 'csat_avg':
    case 'csat_satisfied_rate':
      return k.csat_responses;
    case 'nps':
      return k.nps_responses;
    case 'ces_avg':
    case 'ces_low_effort_rate':
      return k.ces_responses;
    default:
      return null;
  }
}
