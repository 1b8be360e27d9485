/**
 * The calendar a client config resolves to over some days, as `cspulse config check` prints it: per channel
 * its hours and how many days are open, then every day that is not an ordinary day of the week (public
 * holidays, the client's own closed and open days). Ordinary closed weekdays are counted, not listed.
 */
import { calendarChannels, holidayRegionOf, type CalendarVersion } from '../config/calendar-config.ts';
import type { ClientConfig } from '../config/client-config.ts';
import type { Channel } from '../tables.ts';
import { describeDays, WEEKDAYS } from './opening-hours.ts';
import type { CalendarDay, DateRange, OperatingCalendar } from './operating-calendar.ts';

const weekdayName = (dt: string): string => WEEKDAYS[(new Date(`${dt}T00:00:00Z`).getUTCDay() + 6) % 7]!;

/** The versions in force on some day of the range, each with the first day of the range it covers. */
function versionsIn(calendar: readonly CalendarVersion[], range: DateRange): { from: string; version: CalendarVersion }[] {
  const out: { from: string; version: CalendarVersion }[] = [];
  calendar.forEach((version, i) => {
    const next = calendar[i + 1]?.effective_from;
    const starts = i === 0 ? range.start : version.effective_from!;
    if ((next === undefined || next > range.start) && starts <= range.end) out.push({ from: starts > range.start ? starts : range.start, version });
  });
  return out;
}

function hoursOf(version: CalendarVersion, channel: Channel): string {
  const groups = version[channel];
  if (groups === undefined) return 'no service';
  return groups.map((g) => `${describeDays(g.days)} ${g.hours.from}-${g.hours.to}`).join('; ');
}

function exceptionLine(day: CalendarDay): string {
  const status = (day.hours === null ? 'closed' : `${day.hours.from}-${day.hours.to}`).padEnd(11);
  const name = day.name === null ? '' : ` ${day.name}`;
  const what =
    day.reason === 'holiday'
      ? `public holiday${name}`
      : day.reason === 'client-closed'
        ? `client's closed day${name}`
        : day.reason === 'client-open'
          ? `client's open day${name}`
          : `public holiday${name} (holiday hours)`;
  return `    ${day.dt} ${weekdayName(day.dt)}  ${status}  ${what}`;
}

const isOrdinary = (day: CalendarDay): boolean =>
  (day.reason === 'open' || day.reason === 'weekday-closed' || day.reason === 'no-service') && day.name === null;

function datesOf(range: DateRange): string[] {
  const out: string[] = [];
  for (let ms = Date.parse(`${range.start}T00:00:00Z`); ms <= Date.parse(`${range.end}T00:00:00Z`); ms += 86_400_000) {
    out.push(new Date(ms).toISOString().slice(0, 10));
  }
  return out;
}

/** Lines describing the calendar over a range of local dates, indented under the client's `ok` line. */
export function describeCalendar(config: ClientConfig, calendar: OperatingCalendar, range: DateRange): string[] {
  if (config.calendar === undefined) return ['  calendar: none (every channel open every day, all hours)'];
  const versions = versionsIn(config.calendar, range);
  const regions = [...new Set(versions.map(({ version }) => holidayRegionOf(version, config)))];
  const holidays = regions.map((r) => (r === null || r === undefined ? 'no public holidays (holidays: false)' : `public holidays of ${r}`)).join(', then ');
  const lines = [`  calendar ${range.start} … ${range.end}: ${holidays}`];
  for (const channel of calendarChannels(config.calendar)) {
    const hours = versions.map(({ from, version }, i) => `${i === 0 ? '' : `from ${from}: `}${hoursOf(version, channel)}`).join(', ');
    const days = datesOf(range).map((dt) => calendar.day(channel, dt));
    lines.push(`  ${channel.padEnd(5)}  ${hours}; open ${days.filter((d) => d.open).length} of ${days.length} days`);
    for (const day of days) if (!isOrdinary(day)) lines.push(exceptionLine(day));
  }
  return lines;
}
