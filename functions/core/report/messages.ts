/**
 * The one message catalogue of the e-mail report. Every label a reader sees comes from here, so a Korean and an
 * English report always say the same thing. Korean wording follows what Korean CS teams write in their own
 * reports (응대율, 포기율, 평균 응답 속도, 전일/전주/전월 대비, %p).
 */
import type { PeriodKind } from '../kpis/kpi-result.ts';
import type { ServiceLevelFormula } from '../config/client-config.ts';
import type { Channel } from '../tables.ts';

export type Locale = 'ko' | 'en';

export type KpiKey =
  | 'offered'
  | 'answered'
  | 'abandoned'
  | 'callbacks'
  | 'answer_rate'
  | 'abandon_rate'
  | 'service_level'
  | 'asa_seconds'
  | 'aht_seconds'
  | 'avg_talk_seconds'
  | 'avg_acw_seconds'
  | 'wait_p90_seconds'
  | 'transfer_rate'
  | 'self_service_rate'
  | 'repeat_rate'
  | 'retry_after_abandon_rate'
  | 'fcr'
  | 'csat_avg'
  | 'csat_satisfied_rate'
  | 'nps'
  | 'ces_avg'
  | 'ces_low_effort_rate'
  | 'survey_response_rate'
  | 'cost_per_contact'
  | 'contacts_per_day'
  | 'contacts_per_agent_day';

export interface Messages {
  kpi: Record<KpiKey, string>;
  channel: Record<Channel, string>;
  periodName: Record<PeriodKind, string>;
  /** "vs yesterday", "vs last week"... */
  vsPrior: Record<PeriodKind, string>;
  vsWeekAgo: string;
  /** compact forms for the headline cards, which are half a phone screen wide */
  vsPriorShort: Record<PeriodKind, string>;
  vsWeekAgoShort: string;
  subject: (clientName: string, kind: PeriodKind, periodLabel: string) => string;
  title: (kind: PeriodKind) => string;
  incompleteBanner: string;
  incompleteSubjectTag: string;
  sections: {
    headline: string;
    actions: string;
    sla: string;
    channels: string;
    trend: string;
    hourly: string;
    categories: string;
    surveys: string;
    cost: string;
    dataQuality: string;
    contract: string;
  };
  sla: {
    kpi: string;
    actual: string;
    target: string;
    result: string;
    margin: string;
    prior: string;
    daysMet: string;
    met: string;
    missed: string;
    noData: string;
    allChannels: string;
  };
  table: {
    channel: string;
    category: string;
    count: string;
    share: string;
    change: string;
    hour: string;
    date: string;
    total: string;
  };
  spike: string;
  peakHour: (hourLabel: string, offered: string) => string;
  hourLabel: (hour: number) => string;
  trendCaption: (line: string) => string;
  chartLegendOffered: string;
  better: string;
  worse: string;
  unchanged: string;
  actions: {
    slaMissed: (label: string, actual: string, target: string) => string;
    spike: (category: string, count: string, change: string) => string;
    worsened: (kpi: string, change: string, vs: string) => string;
    dataIncomplete: string;
    none: string;
  };
  dataQuality: {
    rowsIngested: (n: string) => string;
    rowsQuarantined: (n: string) => string;
    filesRejected: (n: string) => string;
    missingDays: (source: string, days: string) => string;
    lateDays: (source: string, days: string) => string;
    dataThrough: (ts: string) => string;
    noManifests: string;
    complete: string;
  };
  contract: {
    formula: Record<ServiceLevelFormula, string>;
    thresholds: (list: string) => string;
    effectiveFrom: (date: string) => string;
    windows: (repeatHours: string, fcrHours: string) => string;
    provisionalFcr: string;
    changedInPeriod: (date: string) => string;
  };
  surveys: { responses: (n: string) => string };
  cost: { perContact: string; explanation: string };
  csv: {
    section: { daily: string; hourly: string };
    columns: {
      date: string;
      hour: string;
      offered: string;
      answered: string;
      abandoned: string;
      answer_rate: string;
      service_level: string;
      asa_seconds: string;
      aht_seconds: string;
      avg_per_day: string;
    };
    fileName: (clientId: string, kind: PeriodKind, start: string) => string;
  };
  footer: string;
  seconds: (n: string) => string;
  minutes: (m: string) => string;
  minutesSeconds: (m: string, s: string) => string;
  hoursMinutes: (h: string, m: string) => string;
  pp: (signed: string) => string;
  dash: string;
}

const ko: Messages = {
  kpi: {
    offered: '인입',
    answered: '응대',
    abandoned: '포기호',
    callbacks: '콜백',
    answer_rate: '응대율',
    abandon_rate: '포기율',
    service_level: '서비스 레벨',
    asa_seconds: '평균 응답 속도(ASA)',
    aht_seconds: '평균 처리 시간(AHT)',
    avg_talk_seconds: '평균 통화 시간',
    avg_acw_seconds: '평균 후처리 시간',
    wait_p90_seconds: '대기 시간 90%',
    transfer_rate: '호 전환율',
    self_service_rate: 'IVR/챗봇 해결률',
    repeat_rate: '재문의율(버블호)',
    retry_after_abandon_rate: '포기 후 재인입률',
    fcr: '첫 콜 해결률(FCR)',
    csat_avg: '고객만족도(CSAT)',
    csat_satisfied_rate: 'CSAT 만족 비율',
    nps: '순추천지수(NPS)',
    ces_avg: '고객노력점수(CES)',
    ces_low_effort_rate: 'CES 낮은 노력 비율',
    survey_response_rate: '설문 응답률',
    cost_per_contact: '문의당 비용',
    contacts_per_day: '일평균 응대',
    contacts_per_agent_day: '상담원 1인당 일 응대',
  },
  channel: { phone: '전화', chat: '채팅', board: '게시판', email: '이메일' },
  periodName: { daily: '일간', weekly: '주간', monthly: '월간' },
  vsPrior: { daily: '전일 대비', weekly: '전주 대비', monthly: '전월 대비' },
  vsWeekAgo: '전주 같은 요일 대비',
  vsPriorShort: { daily: '전일', weekly: '전주', monthly: '전월' },
  vsWeekAgoShort: '전주 동요일',
  subject: (client, kind, label) => `[${client}] ${ko.periodName[kind]} CS 리포트 · ${label}`,
  title: (kind) => `${ko.periodName[kind]} CS 리포트`,
  incompleteBanner:
    '일부 데이터가 아직 도착하지 않은 상태에서 발송된 리포트입니다. 수치가 실제보다 낮거나 다를 수 있습니다.',
  incompleteSubjectTag: '(데이터 미완료)',
  sections: {
    headline: '핵심 지표',
    actions: '확인이 필요한 사항',
    sla: 'SLA 달성 현황',
    channels: '채널별 현황',
    trend: '일별 추이',
    hourly: '시간대별 인입',
    categories: '상담 유형 상위',
    surveys: '고객 설문',
    cost: '비용',
    dataQuality: '데이터 품질',
    contract: '계약 조건',
  },
  sla: {
    kpi: '지표',
    actual: '실적',
    target: '목표',
    result: '결과',
    margin: '차이',
    prior: '이전',
    daysMet: '달성 일수',
    met: '달성',
    missed: '미달',
    noData: '데이터 없음',
    allChannels: '전체',
  },
  table: {
    channel: '채널',
    category: '유형',
    count: '건수',
    share: '비중',
    change: '증감',
    hour: '시간',
    date: '날짜',
    total: '전체',
  },
  spike: '급증',
  peakHour: (hour, offered) => `피크 시간대: ${hour} (인입 ${offered}건)`,
  hourLabel: (hour) => `${hour}시`,
  trendCaption: (line) => `막대: 인입 · 선: ${line}`,
  chartLegendOffered: '인입',
  better: '개선',
  worse: '악화',
  unchanged: '변동 없음',
  actions: {
    slaMissed: (label, actual, target) => `${label} 목표 미달: 실적 ${actual}, 목표 ${target}`,
    spike: (category, count, change) => `'${category}' 문의 급증: ${count}건 (${change})`,
    worsened: (kpi, change, vs) => `${kpi} 악화: ${vs} ${change}`,
    dataIncomplete: '데이터가 모두 도착하기 전에 집계되었습니다. 데이터 품질 항목을 확인해 주세요.',
    none: '특이 사항이 없습니다. 모든 SLA 목표를 달성했습니다.',
  },
  dataQuality: {
    rowsIngested: (n) => `적재 ${n}건`,
    rowsQuarantined: (n) => `격리(오류) ${n}건`,
    filesRejected: (n) => `거부된 파일 ${n}개`,
    missingDays: (source, days) => `${source}: 데이터 없는 날 ${days}`,
    lateDays: (source, days) => `${source}: 늦게 도착한 날 ${days}`,
    dataThrough: (ts) => `데이터 기준 시각: ${ts}`,
    noManifests: '이 기간에 적재된 파일이 없습니다.',
    complete: '모든 소스의 데이터가 기간 말까지 도착했습니다.',
  },
  contract: {
    formula: {
      answered_within_over_offered_less_short: '서비스 레벨 = 기준 시간 내 응대 ÷ (인입 − 단순 포기호)',
      answered_within_over_answered: '서비스 레벨 = 기준 시간 내 응대 ÷ 응대',
      connect_within_over_offered: '서비스 레벨 = 기준 시간 내 응대·포기·콜백 요청 ÷ 인입 (Amazon Connect 방식)',
    },
    thresholds: (list) => `기준 시간: ${list}`,
    effectiveFrom: (date) => `${date}부터 적용되는 계약 조건`,
    windows: (repeat, fcr) => `재문의 기준 ${repeat}시간, 첫 콜 해결 기준 ${fcr}시간`,
    provisionalFcr: '첫 콜 해결률은 판정 기간이 끝나지 않아 잠정치입니다.',
    changedInPeriod: (date) => `${date}부터 새 계약 조건이 적용되며, 이 리포트에는 다음 기간부터 반영됩니다.`,
  },
  surveys: { responses: (n) => `응답 ${n}건` },
  cost: { perContact: '문의당 비용', explanation: '월 계약 금액의 기간 해당분 ÷ 응대 건수' },
  csv: {
    section: { daily: '일별', hourly: '시간대별' },
    columns: {
      date: '날짜',
      hour: '시간',
      offered: '인입',
      answered: '응대',
      abandoned: '포기호',
      answer_rate: '응대율',
      service_level: '서비스 레벨',
      asa_seconds: '평균 응답 속도(초)',
      aht_seconds: '평균 처리 시간(초)',
      avg_per_day: '일평균 인입',
    },
    fileName: (clientId, kind, start) => `cspulse-${clientId}-${kind}-${start}.csv`,
  },
  footer: '이 메일은 cspulse가 자동으로 발송했습니다. 상세 수치는 첨부된 CSV 파일을 확인해 주세요.',
  seconds: (n) => `${n}초`,
  minutes: (m) => `${m}분`,
  minutesSeconds: (m, s) => `${m}분 ${s}초`,
  hoursMinutes: (h, m) => `${h}시간 ${m}분`,
  pp: (signed) => `${signed}%p`,
  dash: '—',
};

const en: Messages = {
  kpi: {
    offered: 'Offered',
    answered: 'Answered',
    abandoned: 'Abandoned',
    callbacks: 'Callbacks',
    answer_rate: 'Answer rate',
    abandon_rate: 'Abandon rate',
    service_level: 'Service level',
    asa_seconds: 'Avg speed of answer (ASA)',
    aht_seconds: 'Avg handle time (AHT)',
    avg_talk_seconds: 'Avg talk time',
    avg_acw_seconds: 'Avg after-contact work',
    wait_p90_seconds: 'Wait time p90',
    transfer_rate: 'Transfer rate',
    self_service_rate: 'Self-service rate',
    repeat_rate: 'Repeat contact rate',
    retry_after_abandon_rate: 'Retry after abandon',
    fcr: 'First contact resolution',
    csat_avg: 'CSAT',
    csat_satisfied_rate: 'CSAT satisfied share',
    nps: 'NPS',
    ces_avg: 'Customer effort (CES)',
    ces_low_effort_rate: 'CES low-effort share',
    survey_response_rate: 'Survey response rate',
    cost_per_contact: 'Cost per contact',
    contacts_per_day: 'Answered per day',
    contacts_per_agent_day: 'Answered per agent-day',
  },
  channel: { phone: 'Phone', chat: 'Chat', board: 'Board', email: 'E-mail' },
  periodName: { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' },
  vsPrior: { daily: 'vs previous day', weekly: 'vs previous week', monthly: 'vs previous month' },
  vsWeekAgo: 'vs same day last week',
  vsPriorShort: { daily: 'prev. day', weekly: 'prev. week', monthly: 'prev. month' },
  vsWeekAgoShort: 'last wk',
  subject: (client, kind, label) => `[${client}] ${en.periodName[kind]} CS report · ${label}`,
  title: (kind) => `${en.periodName[kind]} CS report`,
  incompleteBanner:
    'This report was sent before all data had arrived. Figures may be lower than or differ from the final ones.',
  incompleteSubjectTag: '(incomplete data)',
  sections: {
    headline: 'Key figures',
    actions: 'What to act on',
    sla: 'SLA compliance',
    channels: 'By channel',
    trend: 'Daily trend',
    hourly: 'Contacts by hour',
    categories: 'Top categories',
    surveys: 'Customer surveys',
    cost: 'Cost',
    dataQuality: 'Data quality',
    contract: 'Contract terms',
  },
  sla: {
    kpi: 'KPI',
    actual: 'Actual',
    target: 'Target',
    result: 'Result',
    margin: 'Margin',
    prior: 'Prior',
    daysMet: 'Days met',
    met: 'Met',
    missed: 'Missed',
    noData: 'No data',
    allChannels: 'All',
  },
  table: {
    channel: 'Channel',
    category: 'Category',
    count: 'Count',
    share: 'Share',
    change: 'Change',
    hour: 'Hour',
    date: 'Date',
    total: 'Total',
  },
  spike: 'Spike',
  peakHour: (hour, offered) => `Peak hour: ${hour} (${offered} offered)`,
  hourLabel: (hour) => `${String(hour).padStart(2, '0')}:00`,
  trendCaption: (line) => `Bars: offered · line: ${line}`,
  chartLegendOffered: 'Offered',
  better: 'better',
  worse: 'worse',
  unchanged: 'unchanged',
  actions: {
    slaMissed: (label, actual, target) => `${label} target missed: ${actual} against ${target}`,
    spike: (category, count, change) => `Spike in '${category}': ${count} contacts (${change})`,
    worsened: (kpi, change, vs) => `${kpi} worsened: ${change} ${vs}`,
    dataIncomplete: 'Computed before all data had arrived; see Data quality.',
    none: 'Nothing stands out. Every SLA target was met.',
  },
  dataQuality: {
    rowsIngested: (n) => `${n} rows ingested`,
    rowsQuarantined: (n) => `${n} rows quarantined`,
    filesRejected: (n) => `${n} files rejected`,
    missingDays: (source, days) => `${source}: no data on ${days}`,
    lateDays: (source, days) => `${source}: arrived late for ${days}`,
    dataThrough: (ts) => `Data through ${ts}`,
    noManifests: 'No files were ingested for this period.',
    complete: 'Every source delivered data through the end of the period.',
  },
  contract: {
    formula: {
      answered_within_over_offered_less_short: 'Service level = answered within threshold ÷ (offered − short abandons)',
      answered_within_over_answered: 'Service level = answered within threshold ÷ answered',
      connect_within_over_offered:
        'Service level = answered, abandoned or callback requested within threshold ÷ offered (Amazon Connect)',
    },
    thresholds: (list) => `Thresholds: ${list}`,
    effectiveFrom: (date) => `Contract terms in force from ${date}`,
    windows: (repeat, fcr) => `Repeat window ${repeat} h, FCR window ${fcr} h`,
    provisionalFcr: 'FCR is provisional: its window reaches past the newest data.',
    changedInPeriod: (date) => `New contract terms took effect on ${date}; they apply from the next period.`,
  },
  surveys: { responses: (n) => `${n} responses` },
  cost: { perContact: 'Cost per contact', explanation: "The period's share of the monthly fee ÷ answered contacts" },
  csv: {
    section: { daily: 'Daily', hourly: 'Hourly' },
    columns: {
      date: 'Date',
      hour: 'Hour',
      offered: 'Offered',
      answered: 'Answered',
      abandoned: 'Abandoned',
      answer_rate: 'Answer rate',
      service_level: 'Service level',
      asa_seconds: 'ASA (s)',
      aht_seconds: 'AHT (s)',
      avg_per_day: 'Avg offered per day',
    },
    fileName: (clientId, kind, start) => `cspulse-${clientId}-${kind}-${start}.csv`,
  },
  footer: 'Sent automatically by cspulse. The attached CSV holds the detailed figures.',
  seconds: (n) => `${n} s`,
  minutes: (m) => `${m} min`,
  minutesSeconds: (m, s) => `${m} min ${s} s`,
  hoursMinutes: (h, m) => `${h} h ${m} min`,
  pp: (signed) => `${signed} pp`,
  dash: '—',
};

export const MESSAGES: Record<Locale, Messages> = { ko, en };

export function messagesFor(locale: Locale): Messages {
  return MESSAGES[locale];
}
