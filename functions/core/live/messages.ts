/**
 * The live page's and the intraday alerts' own words, Korean and English. KPI and channel names come from the
 * report's catalogue (report/messages.ts), so the page and the e-mail call a figure the same.
 */
import type { Locale } from '../report/messages.ts';

export interface LiveMessages {
  title: string;
  /** "14:07 기준" */
  asOf: (time: string) => string;
  soFar: string;
  lastHour: string;
  usual: string;
  target: string;
  /** "평소 12" */
  usualValue: (value: string) => string;
  vsUsual: (change: string) => string;
  targetValue: (value: string) => string;
  met: string;
  missed: string;
  states: { closed: string; awaiting: (sources: string) => string };
  usualDays: (count: number, dates: string) => string;
  noUsualDays: string;
  chartCaption: string;
  chartAlt: (channel: string) => string;
  chartToday: string;
  chartUsual: string;
  sections: { alerts: string; cleared: string; categories: string; freshness: string; note: string };
  noAlerts: string;
  noCategories: string;
  categoryRow: (count: string, usual: string) => string;
  categoryRule: (ratio: string, z: string) => string;
  freshness: {
    through: (time: string) => string;
    throughYesterday: string;
    throughDate: (date: string) => string;
    nothing: string;
    silent: string;
  };
  alert: {
    serviceLevel: (channel: string, value: string, target: string) => string;
    abandons: (channel: string, count: string, usual: string) => string;
    category: (category: string, count: string, usual: string) => string;
    /** the same, read after its day (the report): the count by `time` */
    categoryPast: (category: string, count: string, usual: string, time: string) => string;
    silentIntraday: (source: string, since: string) => string;
    silentDaily: (source: string, due: string) => string;
    /** the same, read after its day: the file of the day before the alert's */
    silentDailyPast: (source: string, due: string) => string;
    since: (time: string) => string;
    cleared: (time: string) => string;
    allChannels: string;
  };
  mail: {
    startSubject: (client: string, text: string) => string;
    clearSubject: (client: string, text: string) => string;
    started: (time: string) => string;
    clearedAt: (time: string, started: string) => string;
    now: (text: string) => string;
    open: string;
    why: string;
  };
  linkExpires: (date: string) => string;
  refresh: (seconds: number) => string;
  refused: string;
}

const ko: LiveMessages = {
  title: '실시간 현황',
  asOf: (time) => `${time} 기준`,
  soFar: '오늘 누적',
  lastHour: '최근 1시간',
  usual: '평소',
  target: '목표',
  usualValue: (v) => `평소 ${v}`,
  vsUsual: (c) => `평소 대비 ${c}`,
  targetValue: (v) => `목표 ${v}`,
  met: '달성',
  missed: '미달',
  states: { closed: '오늘 휴무', awaiting: (s) => `오늘 데이터가 아직 없습니다 (${s})` },
  usualDays: (n, dates) => `평소: 같은 요일 최근 ${n}일 (${dates}) 같은 시각까지`,
  noUsualDays: '평소와 비교할 같은 요일 운영일이 최근 4주에 없습니다',
  chartCaption: '15분 단위 인입 · 막대: 오늘 · 띠: 평소 범위 · 선: 평소 평균',
  chartAlt: (ch) => `${ch} 15분 단위 인입, 오늘과 평소 범위`,
  chartToday: '오늘',
  chartUsual: '평소',
  sections: { alerts: '알림', cleared: '오늘 해소된 알림', categories: '평소보다 많은 상담 유형', freshness: '데이터 기준 시각', note: '담당자 코멘트' },
  noAlerts: '진행 중인 알림이 없습니다',
  noCategories: '평소보다 눈에 띄게 많은 유형이 없습니다',
  categoryRow: (n, u) => `${n}건 · 평소 ${u}건`,
  categoryRule: (r, z) => `같은 시각까지 평소의 ${r}배 이상이고 평소보다 표준편차의 ${z}배 넘게 많은 유형 (리포트의 급증 기준을 시각에 맞춰 적용)`,
  freshness: {
    through: (t) => `${t}까지`,
    throughYesterday: '어제까지',
    throughDate: (d) => `${d}까지`,
    nothing: '최근 7일 데이터 없음',
    silent: '지연',
  },
  alert: {
    serviceLevel: (ch, v, t) => `${ch} 최근 1시간 서비스 레벨 ${v} (목표 ${t})`,
    abandons: (ch, n, u) => `${ch} 최근 1시간 포기호 ${n}건 (평소 ${u}건)`,
    category: (c, n, u) => `${c} 문의가 평소보다 많습니다: 오늘 ${n}건 (평소 같은 시각까지 ${u}건)`,
    categoryPast: (c, n, u, t) => `${c} 문의가 평소보다 많았습니다: ${t}까지 ${n}건 (평소 같은 시각까지 ${u}건)`,
    silentIntraday: (s, since) => `${s} 데이터가 ${since} 이후 들어오지 않습니다`,
    silentDaily: (s, due) => `${s} 어제 파일이 평소 도착 시각(${due})이 지나도 오지 않았습니다`,
    silentDailyPast: (s, due) => `${s} 전날 파일이 평소 도착 시각(${due})이 지나도 오지 않았습니다`,
    since: (t) => `${t}부터`,
    cleared: (t) => `${t} 해소`,
    allChannels: '전체 채널',
  },
  mail: {
    startSubject: (c, t) => `[${c}] 실시간 알림: ${t}`,
    clearSubject: (c, t) => `[${c}] 알림 해소: ${t}`,
    started: (t) => `${t}에 시작된 알림입니다.`,
    clearedAt: (t, s) => `${s}에 시작된 알림이 ${t}에 해소되었습니다.`,
    now: (t) => `지금: ${t}`,
    open: '실시간 현황 보기',
    why: '이 알림은 같은 상황이 이어지는 동안 다시 보내지 않고, 해소되면 한 번 더 알려 드립니다.',
  },
  linkExpires: (d) => `이 링크는 ${d}까지 열립니다`,
  refresh: (s) => `${s}초마다 새로 고침`,
  refused: '이 링크로는 열 수 없습니다.',
};

const en: LiveMessages = {
  title: 'Live — today so far',
  asOf: (time) => `as of ${time}`,
  soFar: 'Today so far',
  lastHour: 'Last hour',
  usual: 'Usual',
  target: 'Target',
  usualValue: (v) => `usual ${v}`,
  vsUsual: (c) => `${c} vs usual`,
  targetValue: (v) => `target ${v}`,
  met: 'met',
  missed: 'missed',
  states: { closed: 'Closed today', awaiting: (s) => `No data of today yet (${s})` },
  usualDays: (n, dates) => `Usual: the same weekday of the last ${n} open weeks (${dates}), up to the same time`,
  noUsualDays: 'No open day of the same weekday in the last four weeks to compare with',
  chartCaption: 'Offered per 15 minutes · bars: today · band: usual range · line: usual mean',
  chartAlt: (ch) => `${ch} offered per 15 minutes, today and the usual range`,
  chartToday: 'Today',
  chartUsual: 'Usual',
  sections: { alerts: 'Alerts', cleared: 'Alerts cleared today', categories: 'Categories above their usual', freshness: 'Data through', note: "Account manager's note" },
  noAlerts: 'No open alerts',
  noCategories: 'No category is clearly above its usual',
  categoryRow: (n, u) => `${n} · usual ${u}`,
  categoryRule: (r, z) => `At least ${r} × the usual up to this time and ${z} standard deviations above it (the report's spike rule, scaled to the time of day)`,
  freshness: {
    through: (t) => `through ${t}`,
    throughYesterday: 'through yesterday',
    throughDate: (d) => `through ${d}`,
    nothing: 'nothing in the last 7 days',
    silent: 'late',
  },
  alert: {
    serviceLevel: (ch, v, t) => `${ch}: service level ${v} in the last hour (target ${t})`,
    abandons: (ch, n, u) => `${ch}: ${n} abandoned in the last hour (usual ${u})`,
    category: (c, n, u) => `${c} is above its usual: ${n} today (usual ${u} by this time)`,
    categoryPast: (c, n, u, t) => `${c} was above its usual: ${n} by ${t} (usual ${u} by then)`,
    silentIntraday: (s, since) => `${s}: no data since ${since}`,
    silentDaily: (s, due) => `${s}: yesterday's file has not arrived (usually by ${due})`,
    silentDailyPast: (s, due) => `${s}: the previous day's file had not arrived (usually by ${due})`,
    since: (t) => `since ${t}`,
    cleared: (t) => `cleared ${t}`,
    allChannels: 'All channels',
  },
  mail: {
    startSubject: (c, t) => `[${c}] Live alert: ${t}`,
    clearSubject: (c, t) => `[${c}] Cleared: ${t}`,
    started: (t) => `This alert started at ${t}.`,
    clearedAt: (t, s) => `The alert that started at ${s} cleared at ${t}.`,
    now: (t) => `Now: ${t}`,
    open: 'Open the live page',
    why: 'You get this alert once while the situation lasts, and once more when it clears.',
  },
  linkExpires: (d) => `This link opens the page until ${d}`,
  refresh: (s) => `refreshes every ${s} s`,
  refused: 'This link does not open the page.',
};

export function liveMessagesFor(locale: Locale): LiveMessages {
  return locale === 'en' ? en : ko;
}
