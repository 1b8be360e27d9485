/**
 * 예시몰: a Korean online fashion shop. Phone 09–18 on weekdays (ARS answers around the clock), chat with a
 * bot around the clock and agents 09–21. Calls peak 10–11 h and 14–16 h, Monday is the busiest day, weekends
 * are quiet on the phone and busier in chat. Planted incident: a courier's sorting-hub failure that triples
 * 배송 contacts for three days about two thirds of the way through the range.
 */
import type { ChannelScenario, ClientScenario } from '../scenario.ts';

//                     0    1    2    3    4    5    6    7    8    9   10   11   12   13   14   15   16   17   18   19   20   21   22   23
const phoneHours = [0.1, 0.05, 0.03, 0.03, 0.03, 0.05, 0.2, 0.6, 1.6, 6.5, 10, 9.2, 5.6, 7.4, 9.4, 9.6, 8.2, 6.4, 1.8, 0.9, 0.7, 0.5, 0.3, 0.2];
const chatHours = [1.4, 0.8, 0.4, 0.25, 0.2, 0.25, 0.5, 1.2, 2.6, 5.2, 7.4, 7.6, 6.0, 6.6, 7.2, 7.0, 6.6, 6.0, 4.8, 4.6, 5.2, 5.6, 4.8, 2.8];

const phone: ChannelScenario = {
  channel: 'phone',
  sourceId: 'cti',
  dailyVolume: 420,
  weekdayMultipliers: [1.3, 1.08, 1.0, 0.95, 0.9, 0.3, 0.22],
  holidayMultiplier: 0.3,
  hourlyWeights: phoneHours,
  openHours: { weekday: [9, 18], saturday: null, sunday: null, holiday: null },
  selfServiceRate: 0.1,
  ivrMedianSeconds: 35,
  waitIncludesIvr: false,
  patienceMedianSeconds: 95,
  patienceSigma: 0.9,
  callbackOfferSeconds: 60,
  callbackAcceptRate: 0.3,
  concurrency: 1,
  talkSigma: 0.55,
  talkFactor: 1,
  holdShare: 0.22,
  holdMedianSeconds: 40,
  acwMedianSeconds: 30,
  transferRate: 0.05,
  notReadyRate: 0.12,
  notReadyMedianSeconds: 150,
  planningServiceLevel: 0.8,
  planningThresholdSeconds: 20,
  lunchStaffingFactor: 0.6,
  lunchHours: [12, 13],
  agentPrefix: 'A1',
  testContactEveryDays: 3,
};

const chat: ChannelScenario = {
  channel: 'chat',
  sourceId: 'chat',
  dailyVolume: 190,
  weekdayMultipliers: [1.15, 1.05, 1.0, 1.0, 0.95, 0.85, 0.9],
  holidayMultiplier: 0.85,
  hourlyWeights: chatHours,
  openHours: { weekday: [9, 21], saturday: [10, 18], sunday: [10, 18], holiday: [10, 18] },
  selfServiceRate: 0.22,
  ivrMedianSeconds: 15,
  waitIncludesIvr: true,
  patienceMedianSeconds: 240,
  patienceSigma: 1.0,
  callbackOfferSeconds: null,
  callbackAcceptRate: 0,
  concurrency: 2,
  talkSigma: 0.6,
  talkFactor: 2.6,
  holdShare: 0,
  holdMedianSeconds: 0,
  acwMedianSeconds: 20,
  transferRate: 0.03,
  notReadyRate: 0.12,
  notReadyMedianSeconds: 150,
  planningServiceLevel: 0.8,
  planningThresholdSeconds: 60,
  lunchStaffingFactor: 0.7,
  lunchHours: [12, 13],
  agentPrefix: 'A2',
  testContactEveryDays: 7,
};

export const exampleScenario: ClientScenario = {
  clientId: 'example',
  country: 'KR',
  customerPool: 40_000,
  phoneStyle: 'kr-mobile',
  emailDomains: ['naver.com', 'gmail.com', 'daum.net', 'kakao.com', 'hanmail.net'],
  categories: [
    { name: '배송', weight: 30, subcategories: ['배송조회', '배송지연', '배송지변경', '오배송'], queue: '주문배송', talkMedianSeconds: 140, unresolvedRate: 0.14 },
    { name: '교환/반품', weight: 24, subcategories: ['교환신청', '반품신청', '반품비용', '회수지연'], queue: '교환반품', talkMedianSeconds: 230, unresolvedRate: 0.22 },
    { name: '결제', weight: 14, subcategories: ['결제오류', '환불문의', '무통장입금', '카드취소'], queue: '결제', talkMedianSeconds: 200, unresolvedRate: 0.16 },
    { name: '회원정보', weight: 10, subcategories: ['비밀번호', '주소변경', '적립금', '회원탈퇴'], queue: '일반상담', talkMedianSeconds: 110, unresolvedRate: 0.08 },
    { name: '상품문의', weight: 16, subcategories: ['재고', '사이즈', '재입고', '사용법'], queue: '일반상담', talkMedianSeconds: 160, unresolvedRate: 0.1 },
    { name: '기타', weight: 6, subcategories: ['불만', '제휴문의', '기타'], queue: '일반상담', talkMedianSeconds: 180, unresolvedRate: 0.2 },
  ],
  channels: [phone, chat],
  surveys: {
    sourceId: 'surveys',
    responseRate: 0.2,
    typeWeights: { csat: 0.75, nps: 0.15, ces: 0.1 },
    commentRate: 0.3,
    positiveComments: ['친절하게 안내해 주셔서 감사합니다', '빠른 답변 감사합니다!', '설명이 자세해서 좋았어요', '문제가 바로 해결됐어요'],
    negativeComments: ['연결이 너무 오래 걸려요', '대기 시간이 길어서 불편했습니다', '같은 내용을 여러 번 설명해야 했어요', '배송이 언제 오는지 아직도 모르겠네요'],
    neutralComments: ['보통이었어요', '답변은 받았습니다', '그냥 그래요, 다음엔 더 빨리 부탁드려요'],
  },
  incident: {
    category: '배송',
    multiplier: 3,
    days: 3,
    atFraction: 0.65,
    description: '택배사 허브 장애로 배송 지연 문의 급증 (배송 문의 평소의 3배)',
  },
  dataQuality: { malformedPerKind: 2, duplicateRows: 5, redeliveredFile: true, unknownOutcomeValue: '보류' },
};
