/**
 * `calendar:` in a client file: when each channel is open. Versioned like `contract:`; each version names the
 * country whose public holidays close the service, the open days and hours per channel, and the client's own
 * closed and extra open days. docs/calendar.md is the reference; functions/core/calendar/ reads the result.
 *
 * The config travels in a Lambda environment variable (4 KB in all), so defaults do the work: a channel
 * written `{}` is open every day around the clock, `days: mon-fri` needs no list, the country is the client's
 * phone region (or its time zone's country), and public holidays close every channel that names no
 * `holiday` hours.
 */
import { z } from 'zod';
import { isHolidayRegion } from '../calendar/holiday-regions.ts';
import { parseDays, parseHours, WEEKDAYS, type DayToken, type OpeningHours } from '../calendar/opening-hours.ts';
import { CHANNELS, type Channel } from '../tables.ts';
import { countryOfZone } from './phone-region.ts';

/** Longest run of days one `closed` or `open` entry may cover (a company's summer break, not a year's weekends). */
export const MAX_ENTRY_DAYS = 62;

const isRealDate = (text: string): boolean => {
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === text;
};
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isRealDate, 'is not a date of the calendar');

const hoursSchema = z.string().transform((text, ctx): OpeningHours => {
  const parsed = parseHours(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed.value;
});

const daysSchema = z
  .custom<string | string[]>(
    (v) => typeof v === 'string' || (Array.isArray(v) && v.every((d) => typeof d === 'string')),
    'must be days such as mon-fri or [sat, sun, holiday]',
  )
  .transform((spec, ctx): DayToken[] => {
    const parsed = parseDays(spec);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed.value;
  });

const ALL_HOURS: OpeningHours = { from: '00:00', to: '24:00' };

/** Days and hours of a channel; without days every weekday (not public holidays), without hours all day. */
const hoursGroupSchema = z
  .object({ days: daysSchema.optional(), hours: hoursSchema.optional() })
  .strict()
  .transform((group) => ({ days: group.days ?? [...WEEKDAYS], hours: group.hours ?? ALL_HOURS }));
export type HoursGroup = z.output<typeof hoursGroupSchema>;

/**
 * One group, or a list when the hours differ by day (`[{ days: mon-fri, … }, { days: [sat, holiday], … }]`).
 * Parsed by hand rather than as a zod union, so a mistake inside a single group is reported at its own field
 * (`calendar.0.phone.hours`) instead of as "Invalid input" of the union.
 */
const channelHoursSchema = z.unknown().transform((value, ctx): HoursGroup[] => {
  const list = Array.isArray(value) ? value : [value];
  const at = (i: number): (string | number)[] => (Array.isArray(value) ? [i] : []);
  if (list.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must give the days and hours of the channel (write {} for every day, all day)' });
    return z.NEVER;
  }
  const groups: HoursGroup[] = [];
  const firstGroupOf = new Map<DayToken, number>();
  list.forEach((item, i) => {
    const parsed = hoursGroupSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [...at(i), ...issue.path], message: issue.message });
      return;
    }
    groups.push(parsed.data);
    for (const day of parsed.data.days) {
      const earlier = firstGroupOf.get(day);
      if (earlier !== undefined) {
        ctx.addIssue({ code: 'custom', path: [...at(i), 'days'], message: `${day} already has hours in entry ${earlier}: a day has one set of hours` });
      } else firstGroupOf.set(day, i);
    }
  });
  return groups;
});

const dateEntry = {
  date: calendarDate,
  /** last day of a run of days (inclusive), e.g. a summer break */
  until: calendarDate.optional(),
  /** shown in reports beside the date, e.g. 창립기념일 */
  name: z.string().min(1).max(60).optional(),
  /** default every channel of the version */
  channels: z.array(z.enum(CHANNELS)).min(1).optional(),
};
const closedDaySchema = z.object(dateEntry).strict();
/** hours: default the channel's hours of that weekday, else of its first entry */
const openDaySchema = z.object({ ...dateEntry, hours: hoursSchema.optional() }).strict();
export type ClosedDay = z.output<typeof closedDaySchema>;
export type OpenDay = z.output<typeof openDaySchema>;

const calendarVersionSchema = z
  .object({
    /** first local date of this version; may be left out on the first, which also covers every earlier date */
    effective_from: calendarDate.optional(),
    /**
     * whose public holidays apply: ISO 3166-1 alpha-2 (KR, US) or a state, ISO 3166-2 (DE-BY, GB-ENG). Default
     * the client's phone_region, else the country of its timezone.
     */
    country: z
      .string()
      .refine(isHolidayRegion, 'must be a country (ISO 3166-1 alpha-2, such as KR) or a state (ISO 3166-2, such as DE-BY) whose public holidays are known')
      .optional(),
    /** closed on public holidays, except channels with `holiday` hours */
    holidays: z.boolean().default(true),
    phone: channelHoursSchema.optional(),
    chat: channelHoursSchema.optional(),
    board: channelHoursSchema.optional(),
    email: channelHoursSchema.optional(),
    closed: z.array(closedDaySchema).default([]),
    open: z.array(openDaySchema).default([]),
  })
  .strict();
export type CalendarVersion = z.output<typeof calendarVersionSchema>;

/** Every local date from `date` to `until` inclusive. */
export function datesOfEntry(entry: { date: string; until?: string | undefined }): string[] {
  const out: string[] = [];
  const last = Date.parse(`${entry.until ?? entry.date}T00:00:00Z`);
  for (let ms = Date.parse(`${entry.date}T00:00:00Z`); ms <= last; ms += 86_400_000) out.push(new Date(ms).toISOString().slice(0, 10));
  return out;
}

type Issue = { path: (string | number)[]; message: string };

/** An entry's run of days, and whether it lies in the days its version is in force. */
function entryIssues(entry: ClosedDay, versions: readonly CalendarVersion[], i: number): Issue[] {
  const issues: Issue[] = [];
  if (entry.until !== undefined) {
    if (entry.until < entry.date) issues.push({ path: ['until'], message: `${entry.until} is before date ${entry.date}` });
    else if (datesOfEntry(entry).length > MAX_ENTRY_DAYS) {
      issues.push({ path: ['until'], message: `covers more than ${MAX_ENTRY_DAYS} days: a closure that long is a change of hours (a new calendar version)` });
    }
  }
  const from = versions[i]!.effective_from;
  const next = versions[i + 1]?.effective_from;
  const last = entry.until ?? entry.date;
  if ((i > 0 && from !== undefined && entry.date < from) || (next !== undefined && last >= next)) {
    const span = `${i > 0 ? from : 'the first days'} … ${next === undefined ? 'onwards' : `the day before ${next}`}`;
    issues.push({ path: ['date'], message: `${entry.date} is outside the days this version is in force (${span}), so it would never apply: list it in that version` });
  }
  for (const ch of entry.channels ?? []) {
    if (versions[i]![ch] === undefined) issues.push({ path: ['channels'], message: `${ch} has no hours in this version` });
  }
  return issues;
}

/** A channel-day listed twice (in `closed`, in `open`, or in both) is ambiguous. */
function duplicateIssues(version: CalendarVersion): Issue[] {
  const issues: Issue[] = [];
  const declared = CHANNELS.filter((ch) => version[ch] !== undefined);
  const seen = new Map<string, string>();
  for (const kind of ['closed', 'open'] as const) {
    version[kind].forEach((entry, j) => {
      const reported = new Set<string>();
      for (const date of datesOfEntry(entry)) {
        for (const ch of entry.channels ?? declared) {
          const key = `${ch} ${date}`;
          const earlier = seen.get(key);
          if (earlier !== undefined && !reported.has(earlier)) {
            reported.add(earlier);
            issues.push({ path: [kind, j, 'date'], message: `${date} (${ch}) is already listed in ${earlier}` });
          } else if (earlier === undefined) seen.set(key, `${kind}[${j}]`);
        }
      }
    });
  }
  return issues;
}

export const calendarSchema = z
  .array(calendarVersionSchema)
  .min(1)
  .superRefine((versions, ctx) => {
    versions.forEach((version, i) => {
      const at = (issue: Issue, ...prefix: (string | number)[]) =>
        ctx.addIssue({ code: 'custom', path: [i, ...prefix, ...issue.path], message: issue.message });
      if (i > 0 && version.effective_from === undefined) {
        at({ path: ['effective_from'], message: 'is required on every version but the first' });
      } else if (i > 0 && version.effective_from! <= (versions[i - 1]!.effective_from ?? '')) {
        at({ path: ['effective_from'], message: 'calendar versions must be in ascending effective_from order' });
      }
      if (CHANNELS.every((ch) => version[ch] === undefined)) {
        at({ path: [], message: `names no channel: give the days and hours of each channel the client is served on (${CHANNELS.join(', ')})` });
      }
      for (const kind of ['closed', 'open'] as const) {
        version[kind].forEach((entry, j) => {
          for (const issue of entryIssues(entry, versions, i)) at(issue, kind, j);
        });
      }
      for (const issue of duplicateIssues(version)) at(issue);
    });
  });
export type CalendarConfig = z.output<typeof calendarSchema>;

/** Channels with hours in some version, in the canonical order. */
export function calendarChannels(calendar: CalendarConfig): Channel[] {
  return CHANNELS.filter((ch) => calendar.some((v) => v[ch] !== undefined));
}

/**
 * Whose public holidays a version follows: its `country`, else the client's phone region, else the country of
 * its time zone; null when the version ignores public holidays (`holidays: false`), undefined when no country
 * can be told (a zone such as UTC and no phone region) or none whose holidays are known.
 */
export function holidayRegionOf(
  version: CalendarVersion,
  client: { phone_region?: string | undefined; timezone: string },
): string | null | undefined {
  if (!version.holidays) return null;
  const region = version.country ?? client.phone_region ?? countryOfZone(client.timezone);
  return region !== undefined && isHolidayRegion(region) ? region : undefined;
}
