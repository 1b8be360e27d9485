/**
 * The simulator's own ground truth, written next to the exports as truth.json: what happened each local day
 * per channel, counted from the simulated contacts themselves (not from the files), so a test or the demo can
 * hold the ingest and KPI pipeline against it.
 */
import { channelParameters, contractInForce, type ClientConfig } from '../core/config/client-config.ts';
import { ZoneClock } from './calendar.ts';
import { isHiddenCallerId } from './customers.ts';
import type { ChannelDayPlan, SimContact, SimDay, SimSurvey } from './engine.ts';
import type { SourceFilesTruth } from './writers/output.ts';

export interface ChannelDayTruth {
  /** every contact row of the day, test contacts included */
  contacts: number;
  /** mean the arrival process was drawn with (without the incident's extra contacts) */
  expected_arrivals: number;
  incident_arrivals: number;
  /** inbound contacts other than excluded: answered + abandoned + callbacks + self_service + ivr_abandoned */
  inbound: number;
  /** the spec's offered: answered + abandoned + callback_requested */
  offered: number;
  answered: number;
  abandoned: number;
  short_abandoned: number;
  callbacks: number;
  self_service: number;
  /** left in the IVR or the bot unserved: inbound, neither offered nor self-service */
  ivr_abandoned: number;
  excluded: number;
  transferred: number;
  answered_within_threshold: number;
  service_level_seconds: number;
  short_abandon_seconds: number;
  sum_wait_answered_seconds: number;
  max_wait_seconds: number;
  sum_handle_answered_seconds: number;
  follow_ups: number;
  hidden_customer: number;
  /** agent-hours scheduled (half-hour slots / 2) and the most agents on shift at once */
  scheduled_agent_hours: number;
  peak_agents: number;
}

export interface SurveyDayTruth {
  responses: number;
  csat_count: number;
  csat_sum: number;
  csat_satisfied: number;
  nps_count: number;
  nps_promoters: number;
  nps_detractors: number;
  ces_count: number;
  ces_sum: number;
}

export interface DayTruth {
  date: string;
  kind: string;
  is_incident_day: boolean;
  channels: Record<string, ChannelDayTruth>;
  /** inbound contacts (all channels, excluded left out) per category */
  categories: Record<string, number>;
  surveys: SurveyDayTruth;
}

export interface ClientTruth {
  client_id: string;
  timezone: string;
  seed: number;
  start_date: string;
  end_date: string;
  days: DayTruth[];
  incident: {
    category: string;
    dates: string[];
    multiplier: number;
    description: string;
    /** contacts the incident added on top of normal volume */
    extra_contacts: number;
  } | null;
  sources: SourceFilesTruth[];
  notes: string[];
}

const emptyChannel = (): ChannelDayTruth => ({
  contacts: 0, expected_arrivals: 0, incident_arrivals: 0, inbound: 0, offered: 0, answered: 0, abandoned: 0,
  short_abandoned: 0, callbacks: 0, self_service: 0, ivr_abandoned: 0, excluded: 0, transferred: 0, answered_within_threshold: 0,
  service_level_seconds: 0, short_abandon_seconds: 0, sum_wait_answered_seconds: 0, max_wait_seconds: 0,
  sum_handle_answered_seconds: 0, follow_ups: 0, hidden_customer: 0, scheduled_agent_hours: 0, peak_agents: 0,
});

const emptySurveys = (): SurveyDayTruth => ({
  responses: 0, csat_count: 0, csat_sum: 0, csat_satisfied: 0, nps_count: 0, nps_promoters: 0, nps_detractors: 0, ces_count: 0, ces_sum: 0,
});

export class TruthBuilder {
  private readonly byDate = new Map<string, DayTruth>();
  private readonly clock: ZoneClock;

  constructor(private readonly config: ClientConfig) {
    this.clock = new ZoneClock(config.timezone);
  }

  private day(date: string): DayTruth {
    let d = this.byDate.get(date);
    if (!d) {
      d = { date, kind: '', is_incident_day: false, channels: {}, categories: {}, surveys: emptySurveys() };
      this.byDate.set(date, d);
    }
    return d;
  }

  addDay(day: SimDay): void {
    const d = this.day(day.date);
    d.kind = day.kind;
    d.is_incident_day = day.isIncidentDay;
    const version = contractInForce(this.config, day.date) ?? this.config.contract[0]!;
    for (const plan of day.plans) this.addPlan(d, plan, version);
    for (const c of day.contacts) this.addContact(d, c);
    for (const s of day.surveys) this.addSurvey(s);
  }

  private channel(d: DayTruth, ch: string): ChannelDayTruth {
    return (d.channels[ch] ??= emptyChannel());
  }

  private addPlan(d: DayTruth, plan: ChannelDayPlan, version: NonNullable<ReturnType<typeof contractInForce>>): void {
    const t = this.channel(d, plan.channel);
    const params = channelParameters(version, plan.channel);
    t.service_level_seconds = params.serviceLevelSeconds;
    t.short_abandon_seconds = params.shortAbandonSeconds;
    t.expected_arrivals = Math.round(plan.expectedArrivals * 1000) / 1000;
    t.scheduled_agent_hours = plan.agentsPerSlot.reduce((a, b) => a + b, 0) / 2;
    t.peak_agents = Math.max(0, ...plan.agentsPerSlot);
  }

  private addContact(d: DayTruth, c: SimContact): void {
    const t = this.channel(d, c.channel);
    t.contacts += 1;
    if (c.isIncident) t.incident_arrivals += 1;
    if (c.outcome === 'excluded') {
      t.excluded += 1;
      return;
    }
    t.inbound += 1;
    d.categories[c.category] = (d.categories[c.category] ?? 0) + 1;
    if (c.isFollowUp) t.follow_ups += 1;
    if (isHiddenCallerId(c.customerRaw)) t.hidden_customer += 1;
    const wait = c.waitSeconds ?? 0;
    switch (c.outcome) {
      case 'answered':
        t.offered += 1;
        t.answered += 1;
        if (c.isTransferred) t.transferred += 1;
        if (wait <= t.service_level_seconds) t.answered_within_threshold += 1;
        t.sum_wait_answered_seconds += wait;
        t.sum_handle_answered_seconds += c.talkSeconds + c.holdSeconds + c.acwSeconds;
        t.max_wait_seconds = Math.max(t.max_wait_seconds, wait);
        break;
      case 'abandoned':
        t.offered += 1;
        t.abandoned += 1;
        if (wait < t.short_abandon_seconds) t.short_abandoned += 1;
        t.max_wait_seconds = Math.max(t.max_wait_seconds, wait);
        break;
      case 'callback_requested':
        t.offered += 1;
        t.callbacks += 1;
        break;
      case 'self_service':
        t.self_service += 1;
        break;
      case 'ivr_abandoned':
        t.ivr_abandoned += 1;
        break;
    }
  }

  /** A survey counts on the local date it was answered, as the spec's periods do. */
  private addSurvey(s: SimSurvey): void {
    const t = this.day(this.clock.localDate(s.respondedMs)).surveys;
    t.responses += 1;
    const version = contractInForce(this.config, this.clock.localDate(s.respondedMs)) ?? this.config.contract[0]!;
    if (s.type === 'csat') {
      t.csat_count += 1;
      t.csat_sum += s.score;
      if (s.score >= version.csat_satisfied_min) t.csat_satisfied += 1;
    } else if (s.type === 'nps') {
      t.nps_count += 1;
      if (s.score >= 9) t.nps_promoters += 1;
      if (s.score <= 6) t.nps_detractors += 1;
    } else {
      t.ces_count += 1;
      t.ces_sum += s.score;
    }
  }

  days(): DayTruth[] {
    return [...this.byDate.values()].filter((d) => d.kind !== '').sort((a, b) => (a.date < b.date ? -1 : 1));
  }
}
