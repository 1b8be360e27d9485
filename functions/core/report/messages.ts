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
  | 'inbound'
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
  | 'max_wait_seconds'
  | 'transfer_rate'
  | 'self_service_rate'
  | 'ivr_abandon_rate'
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
  /** compact forms for the figure cards, which are half a phone screen wide */
  vsPriorShort: Record<PeriodKind, string>;
  vsWeekAgoShort: string;
  subject: (clientName: string, kind: PeriodKind, periodLabel: string) => string;
  /** the verdict first: "[예시몰] 계약 지표 4개 중 1개 달성 · 응대 472건 | 일간 CS 리포트 · 3월 4일 (수)" */
  subjectWithVerdict: (clientName: string, verdict: string, kind: PeriodKind, periodLabel: string) => string;
  title: (kind: PeriodKind) => string;
  /** subject tags */
  tags: { incomplete: (missing: string) => string; noData: string; corrected: string };
  banners: {
    incomplete: (missing: string) => string;
    noData: (missing: string) => string;
    corrected: (sentAt: string) => string;
  };
  sections: {
    contract: string;
    keyFigures: string;
    actions: string;
    correction: string;
    channels: string;
    trend: string;
    hourly: string;
    categories: string;
    surveys: string;
    comments: string;
    cost: string;
    dataQuality: string;
    contractTerms: string;
    /** the account manager's note */
    note: string;
    /** the period's intraday alerts */
    intradayAlerts: string;
  };
  intradayAlerts: {
    /** a streak still on when its day ended: "10:45부터 (마감까지)" */
    untilDayEnd: (start: string) => string;
    more: (count: number) => string;
  };
  sla: {
    kpi: string;
    actual: string;
    target: string;
    result: string;
    prior: string;
    daysMet: (met: string, judged: string) => string;
    /** the margin to target, kept apart from changes against the prior period */
    margin: (signed: string) => string;
    closed: string;
    met: string;
    missed: string;
    noData: string;
    provisional: string;
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
  comparison: {
    /** counts compared as per-day averages, with the days each side covers */
    perDay: (currentDays: string, priorDays: string) => string;
    /** per-day comparisons over each channel's own open days with data: "전화 21일 / 17일" */
    perDayScopes: (list: string) => string;
    perDayScope: (scope: string, currentDays: string, priorDays: string) => string;
    /** daily reports: which day each channel is compared with */
    comparedDays: (list: string) => string;
    /** FCR of the last day whose window has closed */
    fcrOfDay: (date: string) => string;
    fcrNotCompared: string;
    perDayShort: string;
    smallSample: (n: string) => string;
    provisional: string;
  };
  spike: string;
  categoryBase: (inbound: string) => string;
  verdict: {
    targets: (met: string, total: string) => string;
    /** targets whose data has not fully arrived */
    pending: (n: string) => string;
    /** before a verdict of a period whose data has not fully arrived */
    provisional: (line: string) => string;
    handled: (answered: string) => string;
    fee: (monthly: string, perContact: string) => string;
    /** while data is missing: the fee without a cost per contact */
    feeOnly: (monthly: string) => string;
    closed: string;
  };
  /** why a target was missed (sections/causes.ts) */
  causes: {
    hours: (hours: string, kpi: string, values: string, abandoned: string, share: string) => string;
    volume: (more: string, usualPerDay: string, perDay: string) => string;
    category: (name: string, change: string) => string;
    handleTime: (more: string, usualAht: string, aht: string) => string;
    fewerAgents: (usual: string, now: string) => string;
    understaffed: string;
    erlang: (needed: string, observed: string, occupancy: string) => string;
  };
  channels: {
    counts: (offered: string, answered: string, abandoned: string, shortAbandoned: string) => string;
    callbacks: (n: string) => string;
    selfService: (n: string) => string;
    ivrAbandoned: (n: string) => string;
    closed: string;
    noData: string;
    all: string;
  };
  peakHour: (hourLabel: string, offered: string) => string;
  hourLabel: (hour: number) => string;
  trendCaption: (line: string, target: string | null) => string;
  hourlyCaption: (line: string) => string;
  chartLegendOffered: string;
  actions: {
    slaMissed: (label: string, actual: string, target: string) => string;
    slaProvisional: (label: string, actual: string, target: string) => string;
    /** a daily baseline is the same weekday of the four weeks before; others the four periods before */
    spike: (category: string, count: string, baselineMean: string, change: string, kind: PeriodKind) => string;
    worsened: (kpi: string, change: string, vs: string) => string;
    dataIncomplete: (missing: string) => string;
    noData: (missing: string) => string;
    none: string;
    allMet: string;
  };
  correction: {
    intro: (sentAt: string) => string;
    change: (label: string, before: string, after: string) => string;
    verdict: (label: string, before: string, after: string) => string;
  };
  dataQuality: {
    files: (files: string, read: string, quarantined: string) => string;
    missingDays: (source: string, days: string) => string;
    /** days whose export arrived and was rejected whole */
    rejectedDays: (source: string, days: string) => string;
    /** after such days in a list of missing data */
    rejectedMark: string;
    /** days whose rows were (mostly) quarantined: "(형식 오류 144건)" */
    quarantinedMark: (rows: string) => string;
    /** days whose export held no row on an open day */
    emptyMark: string;
    /** days that arrived and could not be used, with the first reason */
    failedDays: (source: string, days: string, detail: string) => string;
    /** "talk_seconds 144건: …" */
    failureDetail: (field: string, rows: string, reason: string) => string;
    emptyDetail: string;
    closedDays: (source: string, days: string) => string;
    pendingDays: (source: string, days: string) => string;
    lateDays: (source: string, days: string) => string;
    dataThrough: (ts: string) => string;
    noFiles: string;
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
  surveys: {
    responses: (n: string) => string;
    comment: (when: string, channel: string | null, scores: string) => string;
    /** every low answer of the period, with its most frequent categories */
    lowAnswers: (n: string, categories: string | null) => string;
    lowMark: string;
    category: (name: string, n: string) => string;
  };
  sources: { surveys: string };
  cost: { perContact: string; explanation: string; incomplete: string; base: (periodCost: string, answered: string) => string };
  notice: {
    subject: (clientName: string, kind: PeriodKind, periodLabel: string) => string;
    body: (clientName: string, periodLabel: string, missing: string) => string;
    action: string;
  };
  refusedNotice: {
    subject: (clientName: string, kind: PeriodKind, periodLabel: string) => string;
    body: (clientName: string, periodLabel: string, refused: string) => string;
    action: string;
  };
  /** to the operator, when a report went out with source-days that arrived and could not be used */
  failedNotice: {
    subject: (clientName: string, kind: PeriodKind, periodLabel: string, days: string) => string;
    body: (clientName: string, periodLabel: string) => string;
    day: (source: string, day: string, rows: string, quarantined: string) => string;
    reason: (field: string, rows: string, reason: string) => string;
    action: string;
  };
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
      short_abandoned: string;
    };
    fileName: (clientId: string, kind: PeriodKind, start: string) => string;
    /** after the header of a column of raw seconds */
    secondsUnit: string;
  };
  xlsx: {
    sheets: { daily: string; hourly: string; sla: string; channels: string; categories: string; comments: string; staffing: string };
    fileName: (clientId: string, kind: PeriodKind, start: string) => string;
    comments: { respondedAt: string; low: string; comment: string };
    staffing: {
      weekday: string;
      forecast: string;
      agents: string;
      occupancy: string;
      /** how the forecast was made and how far it was off on the weeks before */
      method: (weeks: string, backtestWeeks: string, wape: string, bias: string) => string;
      target: (target: string) => string;
      assumptions: string;
    };
  };
  /** Monday first */
  weekdays: readonly string[];
  unsubscribeSubject: (clientName: string) => string;
  footer: string;
  /** the footer's link to the live page of today (functions/core/live/) */
  liveLink: string;
  seconds: (n: string) => string;
  minutes: (m: string) => string;
  minutesSeconds: (m: string, s: string) => string;
  hoursMinutes: (h: string, m: string) => string;
  pp: (signed: string) => string;
  dash: string;
}

const ko: Messages = {
  kpi: {
    inbound: '전체 문의',
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
    max_wait_seconds: '최장 대기 시간',
    transfer_rate: '호 전환율',
    self_service_rate: 'IVR/챗봇 해결률',
    ivr_abandon_rate: 'IVR 이탈률',
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
  subjectWithVerdict: (client, verdict, kind, label) => `[${client}] ${verdict} | ${ko.periodName[kind]} CS 리포트 · ${label}`,
  title: (kind) => `${ko.periodName[kind]} CS 리포트`,
  tags: { incomplete: (missing) => `(데이터 미완료: ${missing})`, noData: '(데이터 없음)', corrected: '[정정]' },
  banners: {
    incomplete: (missing) => `데이터가 모두 도착하기 전에 집계한 잠정 리포트입니다. 받지 못한 데이터: ${missing}. 해당 지표와 비교는 잠정치입니다.`,
    noData: (missing) => `이 기간의 데이터를 받지 못했습니다 (${missing}). 지표와 SLA 판정이 없습니다.`,
    corrected: (sentAt) => `${sentAt}에 발송한 리포트의 정정본입니다. 그 뒤에 도착한 데이터로 다시 집계했습니다.`,
  },
  sections: {
    contract: '계약 지표 (SLA)',
    keyFigures: '전체 채널 지표',
    actions: '확인이 필요한 사항',
    correction: '정정 내용',
    channels: '채널별 현황',
    trend: '일별 추이',
    hourly: '시간대별 인입',
    categories: '상담 유형 상위',
    surveys: '고객 설문',
    comments: '고객 의견 (낮은 점수 먼저)',
    cost: '비용',
    dataQuality: '데이터 품질',
    contractTerms: '계약 조건',
    note: '담당자 코멘트',
    intradayAlerts: '실시간 알림',
  },
  intradayAlerts: {
    untilDayEnd: (start) => `${start}부터 (마감까지)`,
    more: (n) => `외 ${n}건`,
  },
  sla: {
    kpi: '지표',
    actual: '실적',
    target: '목표',
    result: '결과',
    prior: '이전',
    daysMet: (met, judged) => `달성 ${met}/${judged} 영업일`,
    margin: (signed) => `목표 대비 ${signed}`,
    closed: '휴무',
    met: '달성',
    missed: '미달',
    noData: '데이터 없음',
    provisional: '잠정',
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
  comparison: {
    perDay: (current, prior) => `건수 비교는 영업일 평균 기준입니다 (이번 기간 ${current}일, 이전 기간 ${prior}일의 데이터).`,
    perDayScopes: (list) => `건수는 데이터가 있는 영업일의 하루 평균으로 비교합니다 (이번 기간 / 이전 기간): ${list}.`,
    perDayScope: (scope, current, prior) => `${scope} ${current}일 / ${prior}일`,
    comparedDays: (list) => `전일 대비는 채널별 직전 영업일과 비교합니다: ${list}.`,
    fcrOfDay: (date) => `${date} 기준 (판정 기간이 끝난 마지막 날)`,
    fcrNotCompared: '판정 기간이 끝나지 않아 비교하지 않습니다',
    perDayShort: '일평균',
    smallSample: (n) => `n=${n}`,
    provisional: '잠정',
  },
  spike: '급증',
  categoryBase: (inbound) => `비중: 전체 문의 ${inbound}건(IVR·챗봇 해결 포함) 대비`,
  verdict: {
    targets: (met, total) => `계약 지표 ${total}개 중 ${met}개 달성`,
    pending: (n) => `${n}개 판정 보류`,
    provisional: (line) => `잠정: ${line}`,
    handled: (answered) => `응대 ${answered}건`,
    fee: (monthly, per) => `월 ${monthly} (건당 ${per})`,
    feeOnly: (monthly) => `월 ${monthly}`,
    closed: '휴무일',
  },
  causes: {
    hours: (hours, kpi, values, abandoned, share) => `원인 시간대 ${hours}: ${kpi} ${values}, 포기 ${abandoned}건 — 미달분의 ${share}.`,
    volume: (more, usual, now) => `이 시간대 인입이 평소보다 ${more} 많았습니다 (하루 ${usual}건 → ${now}건).`,
    category: (name, change) => `가장 많이 늘어난 유형은 '${name}' (${change})입니다.`,
    handleTime: (more, usual, now) => `이 시간대 상담 시간이 평소보다 ${more} 길었습니다 (AHT ${usual} → ${now}).`,
    fewerAgents: (usual, now) => `이 시간대 응대 인원이 평소보다 적었습니다 (시간당 ${usual}명 → ${now}명).`,
    understaffed: '인입과 상담 시간은 평소와 같았으나, 이 시간대 인원이 목표에 필요한 만큼 배치되지 않았습니다.',
    erlang: (needed, observed, occupancy) => `Erlang C 기준 필요 인원 ${needed}명, 실제 응대 ${observed}명 (점유율 ${occupancy}).`,
  },
  channels: {
    counts: (offered, answered, abandoned, short) => `인입 ${offered} · 응대 ${answered} · 포기 ${abandoned} (단순 포기 ${short})`,
    callbacks: (n) => `콜백 ${n}`,
    selfService: (n) => `IVR·챗봇 해결 ${n}`,
    ivrAbandoned: (n) => `IVR 이탈 ${n}`,
    closed: '휴무',
    noData: '데이터 없음',
    all: '전체',
  },
  peakHour: (hour, offered) => `피크 시간대: ${hour} (인입 ${offered}건)`,
  hourLabel: (hour) => `${hour}시`,
  trendCaption: (line, target) => `막대: 인입 · 선: ${line}${target === null ? '' : ` · 점선: 목표 ${target}`}`,
  hourlyCaption: (line) => `막대: 인입 · 선: ${line}`,
  chartLegendOffered: '인입',
  actions: {
    slaMissed: (label, actual, target) => `${label} 목표 미달: 실적 ${actual}, 목표 ${target}`,
    slaProvisional: (label, actual, target) => `${label} 잠정 ${actual} (목표 ${target}): 데이터가 모두 도착하면 다시 판정합니다`,
    spike: (category, count, mean, change, kind) =>
      `'${category}' 문의 급증: ${count}건 (${kind === 'daily' ? '평소 같은 요일' : kind === 'weekly' ? '최근 4주' : '최근 4개월'} 평균 ${mean}건 대비 ${change})`,
    worsened: (kpi, change, vs) => `${kpi} 악화: ${vs} ${change}`,
    dataIncomplete: (missing) => `받지 못한 데이터가 있습니다: ${missing}`,
    noData: (missing) => `이 기간의 데이터를 받지 못했습니다: ${missing}`,
    none: '특이 사항이 없습니다.',
    allMet: '특이 사항이 없습니다. 모든 SLA 목표를 달성했습니다.',
  },
  correction: {
    intro: (sentAt) => `${sentAt} 발송본 대비 바뀐 수치:`,
    change: (label, before, after) => `${label}: ${before} → ${after}`,
    verdict: (label, before, after) => `${label} 판정: ${before} → ${after}`,
  },
  dataQuality: {
    files: (files, read, quarantined) => `파일 ${files}개 · 읽은 행 ${read}건 · 격리(오류) ${quarantined}건`,
    missingDays: (source, days) => `${source}: 데이터 없음 ${days}`,
    rejectedDays: (source, days) => `${source}: 파일은 받았으나 읽을 수 없어 반영하지 못함 ${days}`,
    rejectedMark: '(파일 오류)',
    quarantinedMark: (rows) => `(형식 오류 ${rows}건)`,
    emptyMark: '(빈 파일)',
    failedDays: (source, days, detail) => `${source}: 받았으나 반영하지 못함 ${days} — ${detail}`,
    failureDetail: (field, rows, reason) => `${field} ${rows}건: ${reason}`,
    emptyDetail: '영업일인데 파일에 데이터 행이 없습니다',
    closedDays: (source, days) => `${source}: 휴무 ${days}`,
    pendingDays: (source, days) => `${source}: 수집 대기 중 ${days}`,
    lateDays: (source, days) => `${source}: 늦게 도착 ${days}`,
    dataThrough: (ts) => `데이터 기준 시각: ${ts}`,
    noFiles: '이 기간에 적재된 파일이 없습니다.',
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
  surveys: {
    responses: (n) => `응답 ${n}건`,
    comment: (when, channel, scores) => [when, channel, scores].filter((x) => x !== null && x !== '').join(' · '),
    lowAnswers: (n, categories) => `낮은 점수 응답 ${n}건 (CSAT 하위 1/4 · NPS 0–6 · CES 하위 1/3)${categories === null ? '' : ` · 주요 유형: ${categories}`}`,
    lowMark: '낮은 점수',
    category: (name, n) => `${name} ${n}건`,
  },
  sources: { surveys: '설문' },
  cost: {
    perContact: '문의당 비용',
    explanation: '월 계약 금액의 기간 해당분 ÷ 응대 건수',
    incomplete: '데이터가 모두 도착한 기간에만 계산합니다.',
    base: (cost, answered) => `기간 해당 계약 금액 ${cost} ÷ 응대 ${answered}건`,
  },
  notice: {
    subject: (client, kind, label) => `[cspulse] ${client} ${ko.periodName[kind]} 리포트 미발송: 데이터 없음 · ${label}`,
    body: (client, label, missing) => `${client}의 ${label} 리포트를 보내지 않았습니다. 받은 데이터가 없습니다: ${missing}.`,
    action: '수집 경로(업로드, 수집기, Firehose)를 확인해 주세요. 데이터가 도착하면 리포트가 자동으로 발송됩니다.',
  },
  failedNotice: {
    subject: (client, kind, label, days) => `[cspulse] ${client} ${ko.periodName[kind]} 리포트: 반영하지 못한 데이터 ${days} · ${label}`,
    body: (client, label) => `${client}의 ${label} 리포트를 데이터 미완료로 보냈습니다. 다음 파일은 도착했지만 반영하지 못했습니다.`,
    day: (source, day, rows, quarantined) => `${source} ${day}: 반영 ${rows}행, 격리 ${quarantined}행`,
    reason: (field, rows, reason) => `  ${field} ${rows}건: ${reason}`,
    action: '격리 파일(quarantine)에서 행과 이유를 확인하고 매핑(clients/<id>.yaml)이나 내보내기를 고친 뒤 파일을 다시 올려 주세요. 다시 올린 파일이 읽히면 정정 리포트가 자동으로 발송됩니다.',
  },
  refusedNotice: {
    subject: (client, kind, label) => `[cspulse] ${client} ${ko.periodName[kind]} 리포트 일부 수신자 발송 실패 · ${label}`,
    body: (client, label, refused) => `${client}의 ${label} 리포트를 보냈지만 메일 서버가 다음 수신자를 거부했습니다: ${refused}.`,
    action: '주소를 확인해 클라이언트 설정(recipients)을 고친 뒤, 필요하면 해당 수신자에게 리포트를 따로 전달해 주세요. 다른 수신자에게는 발송되었습니다.',
  },
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
      short_abandoned: '단순 포기',
    },
    fileName: (clientId, kind, start) => `cspulse-${clientId}-${kind}-${start}.csv`,
    secondsUnit: '(초)',
  },
  xlsx: {
    sheets: { daily: '일별', hourly: '시간대별', sla: 'SLA', channels: '채널별', categories: '상담 유형', comments: '고객 의견', staffing: '인력 계획' },
    fileName: (clientId, kind, start) => `cspulse-${clientId}-${kind}-${start}.xlsx`,
    comments: { respondedAt: '응답 시각', low: '낮은 점수', comment: '의견' },
    staffing: {
      weekday: '요일',
      forecast: '예상 인입',
      agents: '필요 인원',
      occupancy: '점유율',
      method: (weeks, backtest, wape, bias) =>
        `예상 인입: 최근 ${weeks}주 같은 요일·시간의 영업일 평균. 최근 ${backtest}주를 같은 방법으로 미리 예측해 본 오차: WAPE ${wape}, 편향 ${bias}.`,
      target: (target) => `필요 인원: Erlang C로 계산한, 목표 ${target}를 지키는 데 필요한 동시 응대 인원`,
      assumptions: 'Erlang C는 포기 없이 모든 고객이 기다리고 상담원이 한 시간 내내 응대한다고 가정합니다. 휴식·교육·부재를 더해 근무 인원을 정하세요.',
    },
  },
  weekdays: ['월', '화', '수', '목', '금', '토', '일'],
  unsubscribeSubject: (client) => `수신 거부: ${client} CS 리포트`,
  liveLink: '오늘의 실시간 현황 보기',
  footer: '이 메일은 cspulse가 자동으로 발송했습니다. 상세 수치는 첨부 파일(XLSX, CSV)을 확인해 주세요. 답장하시면 담당 매니저에게 전달됩니다.',
  seconds: (n) => `${n}초`,
  minutes: (m) => `${m}분`,
  minutesSeconds: (m, s) => `${m}분 ${s}초`,
  hoursMinutes: (h, m) => `${h}시간 ${m}분`,
  pp: (signed) => `${signed}%p`,
  dash: '—',
};

const en: Messages = {
  kpi: {
    inbound: 'All inbound',
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
    max_wait_seconds: 'Longest wait',
    transfer_rate: 'Transfer rate',
    self_service_rate: 'Self-service rate',
    ivr_abandon_rate: 'Left in the IVR',
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
  subjectWithVerdict: (client, verdict, kind, label) => `[${client}] ${verdict} | ${en.periodName[kind]} CS report · ${label}`,
  title: (kind) => `${en.periodName[kind]} CS report`,
  tags: { incomplete: (missing) => `(incomplete: ${missing})`, noData: '(no data)', corrected: '[Corrected]' },
  banners: {
    incomplete: (missing) => `Provisional: computed before all data had arrived. Not received: ${missing}. The figures and comparisons it affects are provisional.`,
    noData: (missing) => `No data was received for this period (${missing}). There are no figures and no SLA verdicts.`,
    corrected: (sentAt) => `This corrects the report sent on ${sentAt}, recomputed with data that arrived after it.`,
  },
  sections: {
    contract: 'Contract targets (SLA)',
    keyFigures: 'All channels',
    actions: 'What to act on',
    correction: 'What changed',
    channels: 'By channel',
    trend: 'Daily trend',
    hourly: 'Contacts by hour',
    categories: 'Top categories',
    surveys: 'Customer surveys',
    comments: 'Customer comments (lowest scores first)',
    cost: 'Cost',
    dataQuality: 'Data quality',
    contractTerms: 'Contract terms',
    note: "Account manager's note",
    intradayAlerts: 'Intraday alerts',
  },
  intradayAlerts: {
    untilDayEnd: (start) => `from ${start} (to the day's end)`,
    more: (n) => `and ${n} more`,
  },
  sla: {
    kpi: 'KPI',
    actual: 'Actual',
    target: 'Target',
    result: 'Result',
    prior: 'Prior',
    daysMet: (met, judged) => `met ${met}/${judged} open days`,
    margin: (signed) => `${signed} vs target`,
    closed: 'Closed',
    met: 'Met',
    missed: 'Missed',
    noData: 'No data',
    provisional: 'Provisional',
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
  comparison: {
    perDay: (current, prior) => `Counts are compared as averages per open day (${current} days of data this period, ${prior} the period before).`,
    perDayScopes: (list) => `Counts are compared as averages per open day with data (this period / the period before): ${list}.`,
    perDayScope: (scope, current, prior) => `${scope} ${current} / ${prior} days`,
    comparedDays: (list) => `"vs previous day" compares each channel with its last open day: ${list}.`,
    fcrOfDay: (date) => `of ${date}, the last day whose window has closed`,
    fcrNotCompared: 'not compared until its window has closed',
    perDayShort: 'per day',
    smallSample: (n) => `n=${n}`,
    provisional: 'provisional',
  },
  spike: 'Spike',
  categoryBase: (inbound) => `Share of all ${inbound} inbound contacts, self-service included`,
  verdict: {
    targets: (met, total) => `${met} of ${total} contract targets met`,
    pending: (n) => `${n} not judged yet`,
    provisional: (line) => `Provisional: ${line}`,
    handled: (answered) => `${answered} answered`,
    fee: (monthly, per) => `${monthly} a month (${per} per contact)`,
    feeOnly: (monthly) => `${monthly} a month`,
    closed: 'Closed day',
  },
  causes: {
    hours: (hours, kpi, values, abandoned, share) => `Hours that made it: ${hours} (${kpi.toLowerCase()} ${values}, ${abandoned} abandoned), ${share} of the shortfall.`,
    volume: (more, usual, now) => `Those hours had ${more} more contacts than usual (${usual} → ${now} a day).`,
    category: (name, change) => `The category that grew most was '${name}' (${change}).`,
    handleTime: (more, usual, now) => `Contacts in those hours took ${more} longer than usual (AHT ${usual} → ${now}).`,
    fewerAgents: (usual, now) => `Fewer agents answered in those hours than usual (${usual} → ${now} an hour).`,
    understaffed: 'Volume and handle time were as usual, but those hours were not staffed for the target.',
    erlang: (needed, observed, occupancy) => `Erlang C says ${needed} agents were needed; ${observed} answered (occupancy ${occupancy}).`,
  },
  channels: {
    counts: (offered, answered, abandoned, short) => `Offered ${offered} · answered ${answered} · abandoned ${abandoned} (short ${short})`,
    callbacks: (n) => `callbacks ${n}`,
    selfService: (n) => `self-service ${n}`,
    ivrAbandoned: (n) => `left in the IVR ${n}`,
    closed: 'Closed',
    noData: 'No data',
    all: 'All channels',
  },
  peakHour: (hour, offered) => `Peak hour: ${hour} (${offered} offered)`,
  hourLabel: (hour) => `${String(hour).padStart(2, '0')}:00`,
  trendCaption: (line, target) => `Bars: offered · line: ${line}${target === null ? '' : ` · dashed: target ${target}`}`,
  hourlyCaption: (line) => `Bars: offered · line: ${line}`,
  chartLegendOffered: 'Offered',
  actions: {
    slaMissed: (label, actual, target) => `${label} target missed: ${actual} against ${target}`,
    slaProvisional: (label, actual, target) => `${label} provisionally ${actual} (target ${target}): judged again once all data has arrived`,
    spike: (category, count, mean, change, kind) =>
      `Spike in '${category}': ${count} contacts (${change} against the ${kind === 'daily' ? 'same weekday' : kind === 'weekly' ? 'last 4 weeks' : 'last 4 months'} average of ${mean})`,
    worsened: (kpi, change, vs) => `${kpi} worsened: ${change} ${vs}`,
    dataIncomplete: (missing) => `Data not received: ${missing}`,
    noData: (missing) => `No data was received for this period: ${missing}`,
    none: 'Nothing stands out.',
    allMet: 'Nothing stands out. Every SLA target was met.',
  },
  correction: {
    intro: (sentAt) => `Figures that changed since the report of ${sentAt}:`,
    change: (label, before, after) => `${label}: ${before} → ${after}`,
    verdict: (label, before, after) => `${label} verdict: ${before} → ${after}`,
  },
  dataQuality: {
    files: (files, read, quarantined) => `${files} files · ${read} rows read · ${quarantined} rows quarantined`,
    missingDays: (source, days) => `${source}: no data on ${days}`,
    rejectedDays: (source, days) => `${source}: a file arrived but could not be read, ${days}`,
    rejectedMark: '(file rejected)',
    quarantinedMark: (rows) => `(${rows} rows rejected)`,
    emptyMark: '(empty file)',
    failedDays: (source, days, detail) => `${source}: arrived but could not be used, ${days} — ${detail}`,
    failureDetail: (field, rows, reason) => `${field}, ${rows} rows: ${reason}`,
    emptyDetail: 'the file of an open day held no rows',
    closedDays: (source, days) => `${source}: closed ${days}`,
    pendingDays: (source, days) => `${source}: still arriving for ${days}`,
    lateDays: (source, days) => `${source}: arrived late for ${days}`,
    dataThrough: (ts) => `Data through ${ts}`,
    noFiles: 'No files were ingested for this period.',
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
  surveys: {
    responses: (n) => `${n} responses`,
    comment: (when, channel, scores) => [when, channel, scores].filter((x) => x !== null && x !== '').join(' · '),
    lowAnswers: (n, categories) => `${n} low-scored answers (CSAT in the bottom quarter, NPS 0–6, CES in the bottom third)${categories === null ? '' : `; most about ${categories}`}`,
    lowMark: 'low score',
    category: (name, n) => `${name} (${n})`,
  },
  sources: { surveys: 'Surveys' },
  cost: {
    perContact: 'Cost per contact',
    explanation: "The period's share of the monthly fee ÷ answered contacts",
    incomplete: 'Shown only for periods whose data has fully arrived.',
    base: (cost, answered) => `the period's share of the fee, ${cost}, ÷ ${answered} answered`,
  },
  notice: {
    subject: (client, kind, label) => `[cspulse] ${client} ${en.periodName[kind].toLowerCase()} report not sent: no data · ${label}`,
    body: (client, label, missing) => `The ${label} report of ${client} was not sent: no data was received (${missing}).`,
    action: 'Check the delivery path (uploads, collector, Firehose). The report goes out by itself once data arrives.',
  },
  failedNotice: {
    subject: (client, kind, label, days) => `[cspulse] ${client} ${en.periodName[kind].toLowerCase()} report: data that could not be used, ${days} · ${label}`,
    body: (client, label) => `The ${label} report of ${client} went out marked incomplete. These files arrived and could not be used:`,
    day: (source, day, rows, quarantined) => `${source} ${day}: ${rows} rows used, ${quarantined} quarantined`,
    reason: (field, rows, reason) => `  ${field}, ${rows} rows: ${reason}`,
    action: 'Look up the rows and reasons in the quarantine, fix the mapping (clients/<id>.yaml) or the export, and upload the file again. Once it reads, a correction goes out by itself.',
  },
  refusedNotice: {
    subject: (client, kind, label) => `[cspulse] ${client} ${en.periodName[kind].toLowerCase()} report refused for some recipients · ${label}`,
    body: (client, label, refused) => `The ${label} report of ${client} went out, but the mail server refused these recipients: ${refused}.`,
    action: "Check the addresses and fix the client's recipients; forward the report to them if needed. The other recipients got it.",
  },
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
      short_abandoned: 'Short abandons',
    },
    fileName: (clientId, kind, start) => `cspulse-${clientId}-${kind}-${start}.csv`,
    secondsUnit: '(s)',
  },
  xlsx: {
    sheets: { daily: 'Daily', hourly: 'Hourly', sla: 'SLA', channels: 'Channels', categories: 'Categories', comments: 'Comments', staffing: 'Staffing plan' },
    fileName: (clientId, kind, start) => `cspulse-${clientId}-${kind}-${start}.xlsx`,
    comments: { respondedAt: 'Responded at', low: 'Low score', comment: 'Comment' },
    staffing: {
      weekday: 'Weekday',
      forecast: 'Forecast offered',
      agents: 'Agents needed',
      occupancy: 'Occupancy',
      method: (weeks, backtest, wape, bias) =>
        `Forecast: the mean of the same weekday and hour over the open days of the last ${weeks} weeks. Made the same way for the last ${backtest} weeks, it was off by WAPE ${wape}, bias ${bias}.`,
      target: (target) => `Agents needed: Erlang C's agents on the phones for the target ${target}`,
      assumptions: 'Erlang C assumes no abandonment and agents answering the whole hour. Add breaks, training and absence to get the agents to schedule.',
    },
  },
  weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  unsubscribeSubject: (client) => `Unsubscribe: ${client} CS report`,
  liveLink: "Today's live page",
  footer: 'Sent automatically by cspulse. The attachments (XLSX, CSV) hold the detailed figures. A reply reaches your account manager.',
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
