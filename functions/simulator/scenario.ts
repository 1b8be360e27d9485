/**
 * What a simulated client looks like: volumes, when people call, why they call, how long it takes, how
 * patient they are. The numbers are a plausible small online shop, not fitted data; they are chosen so the
 * KPIs land where a contact-center manager would recognise them (service level around 80/20 on a normal day,
 * a few percent abandoned, a visible lunch dip and Monday peak).
 */
import type { Channel } from '../core/tables.ts';

export interface CategoryDef {
  readonly name: string;
  /** relative share of contacts */
  readonly weight: number;
  readonly subcategories: readonly string[];
  readonly queue: string;
  /** median talk (phone) or chat time in seconds */
  readonly talkMedianSeconds: number;
  /** share of answered contacts the customer has to come back about */
  readonly unresolvedRate: number;
}

export type Hours = readonly [open: number, close: number] | null;

export interface DayHours {
  readonly weekday: Hours;
  readonly saturday: Hours;
  readonly sunday: Hours;
  readonly holiday: Hours;
}

export interface ChannelScenario {
  readonly channel: Extract<Channel, 'phone' | 'chat'>;
  /** source id in the client config the channel's export is written for */
  readonly sourceId: string;
  /** expected contacts on a day whose weekday multiplier is 1 */
  readonly dailyVolume: number;
  /** Monday … Sunday */
  readonly weekdayMultipliers: readonly [number, number, number, number, number, number, number];
  readonly holidayMultiplier: number;
  /** relative arrival weight per local hour 0..23 */
  readonly hourlyWeights: readonly number[];
  /** when the queue takes contacts; outside, the IVR or bot answers alone */
  readonly openHours: DayHours;
  /** IVR (phone) or bot (chat) resolves this share of contacts during open hours */
  readonly selfServiceRate: number;
  readonly ivrMedianSeconds: number;
  /**
   * the export's wait is measured from the contact's creation, bot time included (chat platforms' "first
   * response time"), rather than from entering the agent queue (a CTI's or Connect's queue time)
   */
  readonly waitIncludesIvr: boolean;
  readonly patienceMedianSeconds: number;
  readonly patienceSigma: number;
  /** callers still waiting this long are offered a callback */
  readonly callbackOfferSeconds: number | null;
  /** share of would-be abandoners who take the callback instead of hanging up */
  readonly callbackAcceptRate: number;
  /** contacts one agent works at the same time (chat) */
  readonly concurrency: number;
  readonly talkSigma: number;
  /** multiplies the category's talk median (chat takes longer in wall-clock time than a call) */
  readonly talkFactor: number;
  readonly holdShare: number;
  readonly holdMedianSeconds: number;
  readonly acwMedianSeconds: number;
  readonly transferRate: number;
  /**
   * after a contact an agent sometimes goes "not ready" (a break, a question to a colleague) for a while;
   * the planner does not see it, which is one reason real service levels fall short of the Erlang plan
   */
  readonly notReadyRate: number;
  readonly notReadyMedianSeconds: number;
  /** Erlang C planning target: share answered within the threshold */
  readonly planningServiceLevel: number;
  readonly planningThresholdSeconds: number;
  /** the staffing during the lunch hour, as a share of what Erlang C asks for */
  readonly lunchStaffingFactor: number;
  readonly lunchHours: readonly [number, number];
  readonly agentPrefix: string;
  /** one test contact (excluded from KPIs) every this many days; 0 for none */
  readonly testContactEveryDays: number;
}

export interface SurveyScenario {
  readonly sourceId: string;
  /** share of answered contacts that respond */
  readonly responseRate: number;
  readonly typeWeights: { readonly csat: number; readonly nps: number; readonly ces: number };
  readonly commentRate: number;
  readonly positiveComments: readonly string[];
  readonly negativeComments: readonly string[];
  readonly neutralComments: readonly string[];
}

export interface IncidentScenario {
  readonly category: string;
  /** total volume of the category on incident days, as a multiple of normal */
  readonly multiplier: number;
  readonly days: number;
  /** where in the simulated range it starts (then moved to the next open weekday) */
  readonly atFraction: number;
  readonly description: string;
}

export interface DataQualityScenario {
  /** planted malformed rows per kind over the whole range */
  readonly malformedPerKind: number;
  /** rows written twice in the same file */
  readonly duplicateRows: number;
  /** one day's file delivered a second time under another name */
  readonly redeliveredFile: boolean;
  /** the outcome value the CTI writes for a state the mapping does not know */
  readonly unknownOutcomeValue: string;
}

export interface ClientScenario {
  readonly clientId: string;
  readonly country: 'KR' | 'US';
  readonly customerPool: number;
  readonly categories: readonly CategoryDef[];
  readonly channels: readonly ChannelScenario[];
  readonly surveys: SurveyScenario | null;
  readonly incident: IncidentScenario | null;
  readonly dataQuality: DataQualityScenario;
  /** phone number style of the customer pool */
  readonly phoneStyle: 'kr-mobile' | 'us';
  readonly emailDomains: readonly string[];
}

export function isOpen(hours: DayHours, kind: keyof DayHours, localHour: number): boolean {
  const h = hours[kind];
  return h !== null && localHour >= h[0] && localHour < h[1];
}
