/**
 * An intraday alert in words, from the evidence its streak started (or cleared) with: one text for the live
 * page's banner, the alert e-mails and the next report's list, so the three name an alert alike. The report
 * reads them the next morning, so it asks for the past tense (`pastAt`): "오늘", "어제" would be wrong there.
 */
import type { Formatter } from '../report/format.ts';
import { messagesFor } from '../report/messages.ts';
import { cut, MAX_DISPLAY_LABEL_CHARS } from '../report/text-limits.ts';
import type { Channel } from '../tables.ts';
import type { AlertEvidence, AlertRecord } from './alert-log.ts';
import type { LiveMessages } from './messages.ts';

export interface AlertTextOptions {
  /** the instant (ISO UTC) the evidence was judged, for words read after its day */
  pastAt?: string;
}

export function alertText(
  alert: Pick<AlertRecord, 'kind' | 'subject'>,
  e: AlertEvidence,
  f: Formatter,
  m: LiveMessages,
  labels: ReadonlyMap<string, string>,
  options: AlertTextOptions = {},
): string {
  const channel = (s: string) => (s === 'all' ? m.alert.allChannels : (messagesFor(f.locale).channel[s as Channel] ?? s));
  const usual = e.usual === null ? f.messages.dash : f.decimal(e.usual, 1);
  const time = (iso: string) => f.instant(iso).slice(-5);
  switch (alert.kind) {
    case 'service_level':
      return m.alert.serviceLevel(channel(alert.subject), f.percent(e.value), f.percent(e.target));
    case 'abandons':
      return m.alert.abandons(channel(alert.subject), f.count(e.value), usual);
    case 'category': {
      // control characters of an export's category never reach a subject line or a header
      const category = cut(alert.subject.replace(/\p{Cc}/gu, ' '), MAX_DISPLAY_LABEL_CHARS);
      return options.pastAt === undefined
        ? m.alert.category(category, f.count(e.value), usual)
        : m.alert.categoryPast(category, f.count(e.value), usual, time(options.pastAt));
    }
    case 'silent': {
      const source = labels.get(alert.subject) ?? alert.subject;
      const at = e.since === null ? f.messages.dash : time(e.since);
      if (e.detail !== 'daily') return m.alert.silentIntraday(source, at);
      return options.pastAt === undefined ? m.alert.silentDaily(source, at) : m.alert.silentDailyPast(source, at);
    }
  }
}
