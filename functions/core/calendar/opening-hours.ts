/**
 * How a client file writes when a channel is open: days (`mon-fri`, `[sat, sun, holiday]`) and hours
 * (`"09:00-18:00"`, `"00:00-24:00"`). Parsed here once, for the config schema, which turns them into the
 * structured form the calendar reads.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** A weekday, or `holiday`: the hours a channel keeps on a public holiday (without it, it is closed then). */
export type DayToken = Weekday | 'holiday';

/** Local opening hours of one day, "HH:MM" each; `to` may be "24:00" (open until midnight). */
export interface OpeningHours {
  readonly from: string;
  readonly to: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const HOURS = /^(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$/;

/** Minutes after local midnight of "HH:MM" (24:00 is 1440). */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/**
 * "09:00-18:00" → { from: "09:00", to: "18:00" }. Hours past midnight ("22:00-02:00") are refused: a channel's
 * day is the local business date, so the night belongs to two dates and is written as two days' hours.
 */
export function parseHours(text: string): Parsed<OpeningHours> {
  const m = HOURS.exec(text.trim());
  if (!m) return { ok: false, error: `must be local opening hours "HH:MM-HH:MM" such as "09:00-18:00", not ${JSON.stringify(text)}` };
  const [fh, fm, th, tm] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (fh > 23 || fm > 59) return { ok: false, error: `opens at ${m[1]}:${m[2]}, which is not a time of day (00:00 to 23:59)` };
  if (th > 24 || tm > 59 || (th === 24 && tm !== 0)) {
    return { ok: false, error: `closes at ${m[3]}:${m[4]}, which is not a time of day (00:01 to 24:00)` };
  }
  const from = `${m[1]}:${m[2]}`;
  const to = `${m[3]}:${m[4]}`;
  if (minutesOf(to) <= minutesOf(from)) {
    return {
      ok: false,
      error: `"${text}" closes before it opens; hours past midnight are not supported: write the evening as "…-24:00" and the night as "00:00-…" of the next day`,
    };
  }
  return { ok: true, value: { from, to } };
}

const dayIndex = (token: string): number => WEEKDAYS.indexOf(token as Weekday);

/**
 * Days as written: one token, a comma-separated string or a list of tokens; a token is a weekday (`mon` …
 * `sun`), a range (`mon-fri`; `fri-mon` wraps over the weekend) or `holiday`. Output in week order, `holiday`
 * last. A day named twice is refused, since it would mean two sets of hours for it.
 */
export function parseDays(spec: string | readonly string[]): Parsed<DayToken[]> {
  const tokens = (typeof spec === 'string' ? spec.split(',') : spec).map((t) => t.trim().toLowerCase());
  const seen = new Set<DayToken>();
  const add = (day: DayToken): string | undefined => {
    if (seen.has(day)) return `${day} is named twice`;
    seen.add(day);
    return undefined;
  };
  for (const token of tokens) {
    let error: string | undefined;
    const range = /^([a-z]{3})\s*-\s*([a-z]{3})$/.exec(token);
    if (token === 'holiday') {
      error = add('holiday');
    } else if (dayIndex(token) >= 0) {
      error = add(token as Weekday);
    } else if (range && dayIndex(range[1]!) >= 0 && dayIndex(range[2]!) >= 0) {
      const first = dayIndex(range[1]!);
      const length = ((dayIndex(range[2]!) - first + 7) % 7) + 1;
      for (let i = 0; i < length && error === undefined; i++) error = add(WEEKDAYS[(first + i) % 7]!);
    } else {
      error = `${JSON.stringify(token)} is not a day: use mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, or holiday`;
    }
    if (error !== undefined) return { ok: false, error };
  }
  if (seen.size === 0) return { ok: false, error: 'names no day' };
  const ordered: DayToken[] = [...WEEKDAYS, 'holiday'];
  return { ok: true, value: ordered.filter((d) => seen.has(d)) };
}

/** Days back in the compact form a person writes: [mon … fri, sat, holiday] → "mon-fri, sat, holiday". */
export function describeDays(days: readonly DayToken[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < WEEKDAYS.length) {
    if (!days.includes(WEEKDAYS[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < WEEKDAYS.length && days.includes(WEEKDAYS[j + 1]!)) j++;
    parts.push(j - i >= 2 ? `${WEEKDAYS[i]}-${WEEKDAYS[j]}` : WEEKDAYS.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  if (days.includes('holiday')) parts.push('holiday');
  return parts.join(', ');
}
