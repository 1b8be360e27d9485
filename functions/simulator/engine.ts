/**
 * The contact center itself: Poisson arrivals shaped by hour, weekday and holidays; an IVR or bot that
 * resolves some contacts; a queue served by the agents the planner scheduled; customer patience; callbacks,
 * transfers, holds and after-contact work; follow-up contacts from the same customers; and the planted
 * incident. It produces one local day at a time, so memory stays bounded by a day's contacts.
 */
import type { Outcome, SurveyType } from '../core/tables.ts';
import { publicHolidayName } from '../core/calendar/public-holidays.ts';
import { addDays, compactDate, localHourStarts, weekdayIndex } from './calendar.ts';
import { chatUserId, CustomerPool, e164Us, krCallerId } from './customers.ts';
import { AgentQueue, type DutyInterval } from './queue.ts';
import { Random } from './random.ts';
import { isOpen, type CategoryDef, type ChannelScenario, type ClientScenario, type DayHours } from './scenario.ts';
import { requiredAgents } from './staffing.ts';

export type DayKind = keyof DayHours;

export interface SimContact {
  readonly id: string;
  readonly channel: 'phone' | 'chat';
  readonly sourceId: string;
  readonly localDate: string;
  readonly dayIndex: number;
  readonly localHour: number;
  /** epoch milliseconds, whole seconds */
  readonly arrivedMs: number;
  /** seconds in the IVR or with the bot before queueing (or before hanging up when self-served) */
  readonly ivrSeconds: number;
  readonly enqueuedMs: number | null;
  /** when the contact left the queue: answered, abandoned or took a callback */
  readonly dequeuedMs: number | null;
  readonly answeredMs: number | null;
  /** customer disconnected */
  readonly endedMs: number;
  readonly waitSeconds: number | null;
  readonly talkSeconds: number;
  readonly holdSeconds: number;
  readonly holds: number;
  readonly acwSeconds: number;
  readonly outcome: Outcome;
  readonly isTransferred: boolean;
  readonly isResolved: boolean | null;
  readonly category: string;
  readonly subcategory: string;
  readonly queue: string | null;
  readonly agentId: string | null;
  readonly customerId: number | null;
  /** the customer as this source shows it (caller id, user id, e-mail); null for none */
  readonly customerRaw: string | null;
  readonly afterHours: boolean;
  readonly isFollowUp: boolean;
  readonly isIncident: boolean;
  readonly isTest: boolean;
}

export interface SimSurvey {
  readonly id: string;
  readonly contactId: string;
  readonly channel: 'phone' | 'chat';
  readonly agentId: string | null;
  readonly type: SurveyType;
  readonly score: number;
  readonly comment: string | null;
  readonly respondedMs: number;
  readonly sourceId: string;
}

export interface ChannelDayPlan {
  readonly channel: 'phone' | 'chat';
  readonly expectedArrivals: number;
  readonly expectedIncidentArrivals: number;
  /** agents on shift per half hour, 48 slots */
  readonly agentsPerSlot: readonly number[];
  readonly agentIds: readonly string[];
}

export interface SimDay {
  readonly date: string;
  readonly dayIndex: number;
  readonly kind: DayKind;
  readonly isIncidentDay: boolean;
  readonly contacts: SimContact[];
  readonly surveys: SimSurvey[];
  readonly plans: ChannelDayPlan[];
  /** epoch ms when the local day ends (the next local midnight) */
  readonly endMs: number;
}

interface FollowUp {
  readonly desiredMs: number;
  readonly customerId: number;
  readonly category: number;
  readonly subcategory: string;
}

/** Min-heap on desiredMs: the customers who will contact again, soonest first. */
class FollowUpHeap {
  private readonly items: FollowUp[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): FollowUp | undefined {
    return this.items[0];
  }
  push(item: FollowUp): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.desiredMs <= a[i]!.desiredMs) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): FollowUp | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.desiredMs < a[m]!.desiredMs) m = l;
        if (r < a.length && a[r]!.desiredMs < a[m]!.desiredMs) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

const FOLLOW_UP_EXPIRY_MS = 72 * 3600_000;

/**
 * A public holiday (from the same holiday data as the client's operating calendar, so the demo's quiet days
 * are the days its reports call closed), else the weekday, Saturday or Sunday.
 */
export function dayKind(date: string, country: ClientScenario['country']): DayKind {
  if (publicHolidayName(country, date) !== null) return 'holiday';
  const wd = weekdayIndex(date);
  return wd === 5 ? 'saturday' : wd === 6 ? 'sunday' : 'weekday';
}

/** Volume multiplier of a day for a channel: the weekday profile, or the holiday one. */
export function dayMultiplier(ch: ChannelScenario, date: string, kind: DayKind): number {
  return kind === 'holiday' ? ch.holidayMultiplier : ch.weekdayMultipliers[weekdayIndex(date)]!;
}

/**
 * First day of the planted incident: `atFraction` into the range, moved forward to the next ordinary weekday
 * so it hits a staffed queue, and back if it would run past the end.
 */
export function incidentStart(scenario: ClientScenario, startDate: string, days: number): number | null {
  const incident = scenario.incident;
  if (!incident || days < incident.days + 1) return null;
  let idx = Math.round(days * incident.atFraction);
  while (idx + incident.days <= days && dayKind(addDays(startDate, idx), scenario.country) !== 'weekday') idx += 1;
  return Math.min(idx, days - incident.days);
}

interface Arrival {
  readonly ms: number;
  readonly channel: number;
  readonly incident: boolean;
  readonly test: boolean;
}

const meanLognormal = (median: number, sigma: number): number => median * Math.exp((sigma * sigma) / 2);

export class ClientSimulator {
  private readonly rng: Random;
  private readonly pool: CustomerPool;
  private readonly followUps = new FollowUpHeap();
  private readonly queues: AgentQueue[];
  private readonly categoryWeights: number[];
  private readonly incidentCategory: number;
  private readonly incidentFrom: number | null;
  private surveySeq = 0;
  private contactSeq = 0;

  constructor(
    readonly scenario: ClientScenario,
    readonly timezone: string,
    readonly seed: number,
    readonly startDate: string,
    readonly days: number,
  ) {
    this.rng = new Random(seed, `engine:${scenario.clientId}`);
    this.pool = new CustomerPool(seed, scenario);
    this.queues = scenario.channels.map((c) => new AgentQueue(c.concurrency));
    this.categoryWeights = scenario.categories.map((c) => c.weight);
    this.incidentCategory = scenario.incident
      ? scenario.categories.findIndex((c) => c.name === scenario.incident!.category)
      : -1;
    this.incidentFrom = incidentStart(scenario, startDate, days);
  }

  /** Local dates of the planted incident, empty when the scenario has none. */
  incidentDates(): string[] {
    if (this.incidentFrom === null || !this.scenario.incident) return [];
    return Array.from({ length: this.scenario.incident.days }, (_, i) => addDays(this.startDate, this.incidentFrom! + i));
  }

  categoryShare(index: number): number {
    const total = this.categoryWeights.reduce((a, b) => a + b, 0);
    return this.categoryWeights[index]! / total;
  }

  private expectedAht(ch: ChannelScenario): number {
    const total = this.categoryWeights.reduce((a, b) => a + b, 0);
    let talk = 0;
    for (const c of this.scenario.categories) talk += (c.weight / total) * meanLognormal(c.talkMedianSeconds * ch.talkFactor, ch.talkSigma);
    const hold = ch.holdShare * meanLognormal(ch.holdMedianSeconds, 0.6) * 1.25;
    return talk + hold + meanLognormal(ch.acwMedianSeconds, 0.5);
  }

  /** Half-hour staffing from Erlang C on the forecast (no incident), with the lunch dip and the odd absence. */
  private plan(ch: ChannelScenario, date: string, kind: DayKind, hourStarts: number[]): { slots: number[]; duty: DutyInterval[][] } {
    const weights = ch.hourlyWeights;
    const weightTotal = weights.reduce((a, b) => a + b, 0);
    const dayVolume = ch.dailyVolume * dayMultiplier(ch, date, kind);
    const aht = this.expectedAht(ch);
    const absent = this.rng.chance(0.12) ? 1 : 0;
    const slots: number[] = [];
    for (let s = 0; s < 48; s++) {
      const hour = Math.floor(s / 2);
      if (!isOpen(ch.openHours, kind, hour)) {
        slots.push(0);
        continue;
      }
      const perHour = (dayVolume * weights[hour]!) / weightTotal * (1 - ch.selfServiceRate);
      const seats = requiredAgents(perHour, aht, ch.planningThresholdSeconds, ch.planningServiceLevel, 1);
      let agents = Math.max(1, Math.ceil(seats / ch.concurrency));
      if (hour >= ch.lunchHours[0] && hour < ch.lunchHours[1]) agents = Math.max(1, Math.round(agents * ch.lunchStaffingFactor));
      slots.push(Math.max(1, agents - absent));
    }
    const most = Math.max(0, ...slots);
    const duty: DutyInterval[][] = [];
    for (let k = 0; k < most; k++) {
      const intervals: DutyInterval[] = [];
      for (let s = 0; s < 48; s++) {
        if (slots[s]! <= k) continue;
        const start = Math.round(hourStarts[Math.floor(s / 2)]! / 1000) + (s % 2) * 1800;
        const last = intervals[intervals.length - 1];
        if (last && last.end === start) intervals[intervals.length - 1] = { start: last.start, end: start + 1800 };
        else intervals.push({ start, end: start + 1800 });
      }
      duty.push(intervals);
    }
    return { slots, duty };
  }

  /** Today's roster: agent k of the day is a different person on different days, as shifts rotate. */
  private agentIds(ch: ChannelScenario, dayIndex: number, count: number): string[] {
    const rosterSize = Math.max(count + 4, 12);
    const offset = (dayIndex * 5) % rosterSize;
    const ids: string[] = [];
    for (let k = 0; k < count; k++) {
      const n = ((k + offset) % rosterSize) + 1;
      ids.push(this.scenario.country === 'KR' ? `${ch.agentPrefix}${String(n).padStart(3, '0')}` : `${ch.agentPrefix}.agent${String(n).padStart(2, '0')}`);
    }
    return ids;
  }

  private nextContactId(ch: ChannelScenario, date: string, daySeq: number): string {
    this.contactSeq += 1;
    if (ch.sourceId === 'connect' || this.scenario.country === 'US') return this.rng.uuid();
    if (ch.channel === 'phone') return `${compactDate(date)}${String(daySeq).padStart(6, '0')}`;
    return `CH-${compactDate(date).slice(2)}-${String(daySeq).padStart(5, '0')}`;
  }

  private customerRaw(ch: ChannelScenario, customerId: number): string | null {
    const c = this.pool.get(customerId);
    if (this.scenario.phoneStyle === 'us') {
      return ch.channel === 'phone' ? e164Us(c) : this.rng.chance(0.08) ? null : c.email;
    }
    return ch.channel === 'phone' ? krCallerId(c, this.rng) : chatUserId(c, this.rng);
  }

  simulateDay(dayIndex: number): SimDay {
    const sc = this.scenario;
    const rng = this.rng;
    const date = addDays(this.startDate, dayIndex);
    const kind = dayKind(date, sc.country);
    const hourStarts = localHourStarts(date, this.timezone);
    const isIncidentDay =
      this.incidentFrom !== null && sc.incident !== null && dayIndex >= this.incidentFrom && dayIndex < this.incidentFrom + sc.incident.days;

    const plans: ChannelDayPlan[] = [];
    const arrivals: Arrival[] = [];
    const agentIdsByChannel: string[][] = [];
    sc.channels.forEach((ch, ci) => {
      const { slots, duty } = this.plan(ch, date, kind, hourStarts);
      this.queues[ci]!.setShifts(duty);
      const ids = this.agentIds(ch, dayIndex, duty.length);
      agentIdsByChannel.push(ids);
      const weightTotal = ch.hourlyWeights.reduce((a, b) => a + b, 0);
      const dayVolume = ch.dailyVolume * dayMultiplier(ch, date, kind);
      const extraFactor = isIncidentDay ? this.categoryShare(this.incidentCategory) * (sc.incident!.multiplier - 1) : 0;
      for (let h = 0; h < 24; h++) {
        const lambda = (dayVolume * ch.hourlyWeights[h]!) / weightTotal;
        const base = rng.poisson(lambda);
        const extra = extraFactor > 0 ? rng.poisson(lambda * extraFactor) : 0;
        for (let i = 0; i < base + extra; i++) {
          const ms = hourStarts[h]! + Math.floor(rng.next() * 3600) * 1000;
          arrivals.push({ ms, channel: ci, incident: i >= base, test: false });
        }
      }
      if (ch.testContactEveryDays > 0 && dayIndex % ch.testContactEveryDays === 1) {
        arrivals.push({ ms: hourStarts[8]! + (50 * 60 + rng.int(0, 599)) * 1000, channel: ci, incident: false, test: true });
      }
      plans.push({
        channel: ch.channel,
        expectedArrivals: dayVolume,
        expectedIncidentArrivals: dayVolume * extraFactor,
        agentsPerSlot: slots,
        agentIds: ids,
      });
    });
    arrivals.sort((a, b) => a.ms - b.ms || a.channel - b.channel);

    const contacts: SimContact[] = [];
    const surveys: SimSurvey[] = [];
    const daySeq = sc.channels.map(() => 0);
    for (const arrival of arrivals) {
      const ch = sc.channels[arrival.channel]!;
      daySeq[arrival.channel] = daySeq[arrival.channel]! + 1;
      const id = this.nextContactId(ch, date, daySeq[arrival.channel]!);
      const localHour = Math.min(23, Math.max(0, hourStarts.findIndex((s, i) => i < 24 && arrival.ms >= s && arrival.ms < hourStarts[i + 1]!)));
      if (arrival.test) {
        contacts.push(this.testContact(ch, id, date, dayIndex, localHour, arrival.ms, agentIdsByChannel[arrival.channel]!));
        continue;
      }
      const contact = this.serve(ch, arrival, id, date, dayIndex, localHour, kind, agentIdsByChannel[arrival.channel]!);
      contacts.push(contact);
      const survey = this.survey(ch, contact);
      if (survey) surveys.push(survey);
    }
    return { date, dayIndex, kind, isIncidentDay, contacts, surveys, plans, endMs: hourStarts[24]! };
  }

  private testContact(ch: ChannelScenario, id: string, date: string, dayIndex: number, localHour: number, ms: number, agents: string[]): SimContact {
    const talk = this.rng.int(15, 60);
    return {
      id, channel: ch.channel, sourceId: ch.sourceId, localDate: date, dayIndex, localHour,
      arrivedMs: ms, ivrSeconds: 5, enqueuedMs: ms + 5000, dequeuedMs: ms + 7000, answeredMs: ms + 7000,
      endedMs: ms + 7000 + talk * 1000, waitSeconds: 2, talkSeconds: talk, holdSeconds: 0, holds: 0, acwSeconds: 0,
      outcome: 'excluded', isTransferred: false, isResolved: null,
      category: this.scenario.categories[this.scenario.categories.length - 1]!.name,
      subcategory: this.scenario.country === 'KR' ? '테스트콜' : 'Test',
      queue: this.scenario.categories[0]!.queue, agentId: agents[0] ?? null, customerId: null,
      customerRaw: ch.channel === 'phone' ? (this.scenario.country === 'KR' ? '0215880000' : '+12065550100') : 'qa-tester',
      afterHours: false, isFollowUp: false, isIncident: false, isTest: true,
    };
  }

  private serve(
    ch: ChannelScenario,
    arrival: Arrival,
    id: string,
    date: string,
    dayIndex: number,
    localHour: number,
    kind: DayKind,
    agents: string[],
  ): SimContact {
    const rng = this.rng;
    const sc = this.scenario;
    const t = arrival.ms;

    // Who: a due follow-up takes this arrival slot, so repeats do not change the configured volume.
    let customerId: number;
    let categoryIndex: number;
    let subcategory: string;
    let isFollowUp = false;
    while (this.followUps.size > 0 && this.followUps.peek()!.desiredMs + FOLLOW_UP_EXPIRY_MS < t) this.followUps.pop();
    const due = this.followUps.peek();
    if (!arrival.incident && due && due.desiredMs <= t) {
      this.followUps.pop();
      customerId = due.customerId;
      categoryIndex = due.category;
      subcategory = due.subcategory;
      isFollowUp = true;
    } else {
      customerId = this.pool.drawId(rng);
      categoryIndex = arrival.incident ? this.incidentCategory : rng.weightedIndex(this.categoryWeights);
      const cat = sc.categories[categoryIndex]!;
      subcategory = arrival.incident ? cat.subcategories[1]! : rng.pick(cat.subcategories);
    }
    const cat: CategoryDef = sc.categories[categoryIndex]!;
    const customerRaw = this.customerRaw(ch, customerId);
    const open = isOpen(ch.openHours, kind, localHour);
    const ivr = Math.max(3, Math.round(rng.lognormal(ch.ivrMedianSeconds, 0.5)));
    const base = {
      id, channel: ch.channel, sourceId: ch.sourceId, localDate: date, dayIndex, localHour, arrivedMs: t,
      category: cat.name, subcategory, customerId, customerRaw, isFollowUp, isIncident: arrival.incident, isTest: false,
    };

    const selfServed = !open || rng.chance(ch.selfServiceRate);
    if (selfServed) {
      const ended = t + ivr * 1000;
      // Of the callers who never ask for an agent, those who hang up well before the menu ends (under 60 % of the
      // median IVR time, about one in seven) left unserved: IVR 이탈, not self-service. A closed line's
      // message is heard whole.
      const leftTheIvr = open && ivr < ch.ivrMedianSeconds * 0.6;
      // A closed line's callers try again the next morning more often than a bot's satisfied users come back.
      if (!open ? rng.chance(0.55) : rng.chance(0.08)) {
        this.followUps.push({ desiredMs: ended + Math.round(rng.lognormal(open ? 6 * 3600 : 13 * 3600, 0.35)) * 1000, customerId, category: categoryIndex, subcategory });
      }
      return {
        ...base, ivrSeconds: ivr, enqueuedMs: null, dequeuedMs: null, answeredMs: null, endedMs: ended, waitSeconds: null,
        talkSeconds: 0, holdSeconds: 0, holds: 0, acwSeconds: 0, outcome: leftTheIvr ? 'ivr_abandoned' : 'self_service', isTransferred: false,
        isResolved: null, queue: null, agentId: null, afterHours: !open,
      };
    }

    const queueIndex = sc.channels.indexOf(ch);
    const queue = this.queues[queueIndex]!;
    const enqueued = Math.round(t / 1000) + ivr;
    // A few callers hang up almost at once (misdial, changed their mind): the short abandons of the spec.
    const patience = rng.chance(0.04) ? rng.int(1, 8) : Math.max(2, rng.lognormal(ch.patienceMedianSeconds, ch.patienceSigma));
    const offer = queue.earliest(enqueued);
    const wouldWait = offer.at - enqueued;
    const common = { ...base, ivrSeconds: ivr, enqueuedMs: enqueued * 1000, queue: cat.queue, afterHours: false };

    if (ch.callbackOfferSeconds !== null && wouldWait > ch.callbackOfferSeconds && patience > ch.callbackOfferSeconds && rng.chance(ch.callbackAcceptRate)) {
      const wait = ch.callbackOfferSeconds + rng.int(5, 20);
      const left = enqueued + wait;
      if (rng.chance(0.1)) this.followUps.push({ desiredMs: left * 1000 + Math.round(rng.lognormal(2 * 3600, 0.6)) * 1000, customerId, category: categoryIndex, subcategory });
      return {
        ...common, dequeuedMs: left * 1000, answeredMs: null, endedMs: left * 1000, waitSeconds: wait, talkSeconds: 0,
        holdSeconds: 0, holds: 0, acwSeconds: 0, outcome: 'callback_requested', isTransferred: false, isResolved: null, agentId: null,
      };
    }
    if (wouldWait > patience) {
      const wait = Math.round(patience);
      const left = enqueued + wait;
      if (rng.chance(0.6)) this.followUps.push({ desiredMs: left * 1000 + Math.round(rng.lognormal(8 * 60, 0.8)) * 1000, customerId, category: categoryIndex, subcategory });
      return {
        ...common, dequeuedMs: left * 1000, answeredMs: null, endedMs: left * 1000, waitSeconds: wait, talkSeconds: 0,
        holdSeconds: 0, holds: 0, acwSeconds: 0, outcome: 'abandoned', isTransferred: false, isResolved: null, agentId: null,
      };
    }

    const answered = offer.at;
    const wait = answered - enqueued + (ch.waitIncludesIvr ? ivr : 0);
    const talk = Math.max(10, Math.round(rng.lognormal(cat.talkMedianSeconds * ch.talkFactor, ch.talkSigma)));
    let holds = 0;
    let hold = 0;
    if (ch.holdShare > 0 && rng.chance(ch.holdShare)) {
      holds = rng.chance(0.25) ? 2 : 1;
      for (let i = 0; i < holds; i++) hold += Math.max(5, Math.round(rng.lognormal(ch.holdMedianSeconds, 0.6)));
    }
    const acw = Math.max(3, Math.round(rng.lognormal(ch.acwMedianSeconds, 0.5)));
    const ended = answered + talk + hold;
    const notReady = rng.chance(ch.notReadyRate) ? Math.round(rng.lognormal(ch.notReadyMedianSeconds, 0.6)) : 0;
    queue.occupy(offer, ended + acw + notReady);
    const isTransferred = rng.chance(ch.transferRate);
    const unresolved = rng.chance(cat.unresolvedRate * (isTransferred ? 1.5 : 1) * (wait > 120 ? 1.3 : 1));
    if (unresolved ? rng.chance(0.85) : rng.chance(0.03)) {
      const next = unresolved
        ? { category: categoryIndex, subcategory }
        : (() => {
            const c = rng.weightedIndex(this.categoryWeights);
            return { category: c, subcategory: rng.pick(sc.categories[c]!.subcategories) };
          })();
      this.followUps.push({ desiredMs: ended * 1000 + Math.round(rng.lognormal(unresolved ? 18 * 3600 : 30 * 3600, 0.8)) * 1000, customerId, ...next });
    }
    return {
      ...common, dequeuedMs: answered * 1000, answeredMs: answered * 1000, endedMs: ended * 1000, waitSeconds: wait,
      talkSeconds: talk, holdSeconds: hold, holds, acwSeconds: acw, outcome: 'answered', isTransferred,
      isResolved: !unresolved, agentId: agents[offer.agent] ?? null,
    };
  }

  /** About one answered contact in five answers the survey; long waits and unresolved issues score lower. */
  private survey(ch: ChannelScenario, c: SimContact): SimSurvey | null {
    const s = this.scenario.surveys;
    if (!s || c.outcome !== 'answered') return null;
    const rng = this.rng;
    if (!rng.chance(s.responseRate)) return null;
    const type = (['csat', 'nps', 'ces'] as const)[rng.weightedIndex([s.typeWeights.csat, s.typeWeights.nps, s.typeWeights.ces])]!;
    const waitPenalty = Math.min((c.waitSeconds ?? 0) / 180, 1.5);
    const unresolved = c.isResolved === false ? 1 : 0;
    let score: number;
    let quality: number;
    if (type === 'csat') {
      score = clampRound(4.55 - 0.8 * waitPenalty - 1.2 * unresolved + 0.6 * rng.normal(), 1, 5);
      quality = (score - 1) / 4;
    } else if (type === 'nps') {
      score = clampRound(8.7 - 2.2 * waitPenalty - 2.8 * unresolved + 1.5 * rng.normal(), 0, 10);
      quality = score / 10;
    } else {
      score = clampRound(5.9 - 1.4 * waitPenalty - 1.6 * unresolved + 0.9 * rng.normal(), 1, 7);
      quality = (score - 1) / 6;
    }
    let comment: string | null = null;
    if (rng.chance(s.commentRate)) {
      comment = rng.pick(quality >= 0.7 ? s.positiveComments : quality <= 0.4 ? s.negativeComments : s.neutralComments);
    }
    this.surveySeq += 1;
    const id = this.scenario.country === 'KR' ? `R${String(this.surveySeq).padStart(8, '0')}` : `sv-${String(this.surveySeq).padStart(7, '0')}`;
    const respondedMs = c.endedMs + Math.max(30, Math.round(rng.lognormal(20 * 60, 1.0))) * 1000;
    return { id, contactId: c.id, channel: ch.channel, agentId: c.agentId, type, score, comment, respondedMs, sourceId: s.sourceId };
  }
}

function clampRound(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(x)));
}
