/**
 * Northwind Outfitters: a US outdoor-gear retailer on Amazon Connect (voice and chat), agents in Pacific
 * time. Voice 06–18 on weekdays and 08–14 on Saturdays, chat agents 06–20 (weekends 08–16) with a bot
 * around the clock. No planted incident: this client is the steady baseline, and its range crosses the March
 * DST change, which is what its data is there to exercise.
 */
import type { ChannelScenario, ClientScenario } from '../scenario.ts';

//                   0    1    2    3    4    5    6    7    8    9   10   11   12   13   14   15   16   17   18   19   20   21   22   23
const voiceHours = [0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 2.2, 5.0, 8.4, 9.6, 9.8, 8.8, 7.0, 7.8, 8.2, 7.6, 6.4, 4.4, 1.0, 0.5, 0.3, 0.2, 0.15, 0.1];
const chatHours = [0.8, 0.5, 0.3, 0.2, 0.2, 0.4, 1.6, 3.4, 5.6, 6.8, 7.2, 7.0, 6.2, 6.6, 6.8, 6.4, 6.0, 5.4, 4.6, 4.4, 4.2, 3.6, 2.4, 1.4];

const voice: ChannelScenario = {
  channel: 'phone',
  sourceId: 'connect',
  dailyVolume: 300,
  weekdayMultipliers: [1.25, 1.1, 1.0, 0.97, 0.9, 0.35, 0.15],
  holidayMultiplier: 0.25,
  hourlyWeights: voiceHours,
  openHours: { weekday: [6, 18], saturday: [8, 14], sunday: null, holiday: null },
  selfServiceRate: 0.14,
  ivrMedianSeconds: 45,
  waitIncludesIvr: false,
  patienceMedianSeconds: 110,
  patienceSigma: 0.9,
  callbackOfferSeconds: 90,
  callbackAcceptRate: 0.35,
  concurrency: 1,
  talkSigma: 0.5,
  talkFactor: 1,
  holdShare: 0.25,
  holdMedianSeconds: 55,
  acwMedianSeconds: 40,
  transferRate: 0.06,
  notReadyRate: 0.12,
  notReadyMedianSeconds: 150,
  planningServiceLevel: 0.8,
  planningThresholdSeconds: 20,
  lunchStaffingFactor: 0.75,
  lunchHours: [12, 13],
  agentPrefix: 'voice',
  testContactEveryDays: 0,
};

const chat: ChannelScenario = {
  channel: 'chat',
  sourceId: 'connect',
  dailyVolume: 130,
  weekdayMultipliers: [1.12, 1.05, 1.0, 1.0, 0.95, 0.8, 0.75],
  holidayMultiplier: 0.8,
  hourlyWeights: chatHours,
  openHours: { weekday: [6, 20], saturday: [8, 16], sunday: [8, 16], holiday: [8, 16] },
  selfServiceRate: 0.2,
  ivrMedianSeconds: 15,
  waitIncludesIvr: false,
  patienceMedianSeconds: 200,
  patienceSigma: 1.0,
  callbackOfferSeconds: null,
  callbackAcceptRate: 0,
  concurrency: 3,
  talkSigma: 0.6,
  talkFactor: 2.8,
  holdShare: 0,
  holdMedianSeconds: 0,
  acwMedianSeconds: 25,
  transferRate: 0.03,
  notReadyRate: 0.12,
  notReadyMedianSeconds: 150,
  planningServiceLevel: 0.8,
  planningThresholdSeconds: 60,
  lunchStaffingFactor: 0.8,
  lunchHours: [12, 13],
  agentPrefix: 'chat',
  testContactEveryDays: 0,
};

export const northwindScenario: ClientScenario = {
  clientId: 'northwind',
  country: 'US',
  customerPool: 60_000,
  phoneStyle: 'us',
  emailDomains: ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com'],
  categories: [
    { name: 'Shipping', weight: 28, subcategories: ['Where is my order', 'Delayed', 'Change address', 'Damaged'], queue: 'Orders', talkMedianSeconds: 190, unresolvedRate: 0.12 },
    { name: 'Returns', weight: 22, subcategories: ['Start a return', 'Refund status', 'Exchange', 'Return label'], queue: 'Returns', talkMedianSeconds: 260, unresolvedRate: 0.2 },
    { name: 'Billing', weight: 15, subcategories: ['Card declined', 'Double charge', 'Gift card', 'Promo code'], queue: 'Billing', talkMedianSeconds: 240, unresolvedRate: 0.15 },
    { name: 'Account', weight: 10, subcategories: ['Password reset', 'Update email', 'Loyalty points'], queue: 'General', talkMedianSeconds: 140, unresolvedRate: 0.07 },
    { name: 'Product', weight: 19, subcategories: ['Sizing', 'Availability', 'Warranty', 'Product care'], queue: 'General', talkMedianSeconds: 200, unresolvedRate: 0.1 },
    { name: 'Other', weight: 6, subcategories: ['Feedback', 'Partnership', 'Other'], queue: 'General', talkMedianSeconds: 210, unresolvedRate: 0.18 },
  ],
  channels: [voice, chat],
  surveys: {
    sourceId: 'surveys',
    responseRate: 0.18,
    typeWeights: { csat: 0.7, nps: 0.3, ces: 0 },
    commentRate: 0.25,
    positiveComments: ['Super helpful, thanks!', 'Quick and friendly', 'Resolved on the first try', 'Great service, "above and beyond"'],
    negativeComments: ['Waited way too long', 'Had to repeat myself, twice', 'Still no refund', 'Transferred around too much'],
    neutralComments: ['It was fine', 'Got an answer eventually', 'OK'],
  },
  incident: null,
  dataQuality: { malformedPerKind: 0, duplicateRows: 6, redeliveredFile: false, unknownOutcomeValue: '' },
};
