/**
 * What `cspulse config check` does (config-check.ts): validates every client config, has the SQL engine prepare
 * every mapping, shows each client's operating calendar, and with --sample reads an export through a source's
 * mapping, writing nothing.
 */
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openDuckDbWorkspace } from '../../adapters/local/duckdb-workspace.ts';
import { describeCalendar } from '../../core/calendar/calendar-summary.ts';
import { resolveCalendar } from '../../core/calendar/operating-calendar.ts';
import type { ClientConfig } from '../../core/config/client-config.ts';
import { loadClientConfigs } from '../../core/config/load-configs.ts';
import { senderWarning } from '../../core/config/sender.ts';
import { mappingProblems, mappingWarnings } from '../../core/ingest/formats/check-mapping.ts';
import { checkSample, prepareMappings, type SampleReport } from '../../core/ingest/formats/check-sample.ts';
import { MappingConfigError } from '../../core/ingest/mapping/errors.ts';
import { FileRejectedError } from '../../core/ingest/types.ts';
import { systemClock } from '../../core/ports.ts';
import { businessDateConverter } from '../../core/time/business-date.ts';
import type { CliContext } from '../context.ts';

const WORK_DIR = join(tmpdir(), 'cspulse-config-check');

export interface ConfigCheckOptions {
  configDir: string;
  sample?: string;
  client?: string;
  source?: string;
  from?: string;
}

/** The sample report as lines: what was read, what was rejected, how customers will be keyed. */
export function sampleLines(report: SampleReport): string[] {
  const lines: string[] = [];
  const rejected = report.rejected.reduce((n, r) => n + r.count, 0);
  const byField = report.rejected.map((r) => `${r.field} ${r.count}`).join(', ');
  lines.push(
    `sample ${report.file} (source ${report.source}): ${report.records} records, ${rejected} rejected${rejected ? ` (${byField})` : ''}` +
      (report.contacts === undefined ? '' : `, ${report.contacts} contacts from their legs`),
  );
  for (const r of report.rejected) {
    if (r.reasons.length === 0) continue;
    lines.push(`  ${r.field}: ${r.reasons.join('; ')}${r.hint === undefined ? '' : ` (try ${r.hint})`}`);
  }
  if (report.outcomes.length > 0) lines.push(`outcomes: ${report.outcomes.map((o) => `${o.outcome} ${o.count}`).join(', ')}`);
  if (report.dates !== null) {
    const d = report.dates;
    lines.push(`dates: ${d.first === d.last ? d.first : `${d.first} to ${d.last}`} (${d.days} day${d.days === 1 ? '' : 's'} in ${d.zone})`);
  }
  const c = report.customers;
  if (c !== null) {
    const shapes = c.fallback_shapes.map((s) => `${s.shape} ×${s.count}`).join(', ');
    lines.push(
      `customers: ${c.values} values (phone region ${c.phone_region ?? 'none'}): ${c.phone} phone numbers, ${c.phone_fallback} fell back to their digits` +
        `${shapes ? ` (${shapes})` : ''}, ${c.email} e-mails, ${c.user_id} user ids, ${c.hidden} hidden` +
        (c.uri > 0 ? `; ${c.uri} written as tel:/sip: URIs, read by their user part` : ''),
    );
  }
  return lines;
}

/** Days of the calendar `config check` shows, from the start date on. */
export const CALENDAR_DAYS = 30;

/** The client's calendar over CALENDAR_DAYS days from `from` (default today in its time zone), and what to heed. */
export function calendarLines(config: ClientConfig, now: Date, from?: string): { lines: string[]; notes: string[] } {
  const start = from ?? businessDateConverter(config.timezone)(now).dt;
  const end = new Date(Date.parse(`${start}T00:00:00Z`) + (CALENDAR_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const calendar = resolveCalendar(config);
  return { lines: describeCalendar(config, calendar, { start, end }), notes: calendar.notes({ start, end }) };
}

export async function runConfigCheck(opts: ConfigCheckOptions, context: CliContext): Promise<void> {
  const configs = await loadClientConfigs(opts.configDir);
  const problems = configs.flatMap((c) => mappingProblems(c).map((p) => `${opts.configDir}/${c.id}: ${p}`));
  for (const c of configs) {
    for (const p of await prepareMappings(c, openDuckDbWorkspace, WORK_DIR)) problems.push(`${opts.configDir}/${c.id}: ${p}`);
  }
  if (problems.length > 0) context.fail(`invalid mappings:\n${problems.join('\n')}`);
  const now = (context.clock ?? systemClock).now();
  const calendarNotes = new Map<string, string[]>();
  for (const c of configs) {
    context.out(`ok  ${c.id}  ${c.name}  (${c.timezone}, ${c.locale}; sources: ${c.sources.map((s) => `${s.id}:${s.format}`).join(', ')})`);
    // with --sample the output is about the sample
    if (opts.sample !== undefined) continue;
    const { lines, notes } = calendarLines(c, now, opts.from);
    for (const line of lines) context.out(line);
    calendarNotes.set(c.id, notes);
  }
  // valid, but SES would refuse to send, or a rule can never match: worth knowing, not an error
  const warnings = configs.flatMap((c) => {
    const sender = senderWarning(c);
    return [...(sender === undefined ? [] : [sender]), ...mappingWarnings(c), ...(calendarNotes.get(c.id) ?? [])].map(
      (w) => `warning: ${opts.configDir}/${c.id}: ${w}`,
    );
  });
  for (const line of warnings) context.err(line);
  context.out(`${configs.length} client config(s) valid in ${opts.configDir}`);
  if (opts.sample === undefined) return;

  const client: ClientConfig | undefined =
    opts.client === undefined ? (configs.length === 1 ? configs[0] : undefined) : configs.find((c) => c.id === opts.client);
  if (client === undefined) {
    return context.fail(
      opts.client === undefined
        ? `--sample needs --client: ${opts.configDir} has ${configs.length} clients (${configs.map((c) => c.id).join(', ')})`
        : `no client "${opts.client}" in ${opts.configDir}`,
    );
  }
  const source = opts.source === undefined ? (client.sources.length === 1 ? client.sources[0] : undefined) : client.sources.find((s) => s.id === opts.source);
  if (source === undefined) {
    return context.fail(
      opts.source === undefined
        ? `--sample needs --source: client ${client.id} has sources ${client.sources.map((s) => s.id).join(', ')}`
        : `client ${client.id} has no source "${opts.source}" (sources: ${client.sources.map((s) => s.id).join(', ')})`,
    );
  }
  let report: SampleReport;
  try {
    report = await checkSample({
      config: client,
      source,
      file: basename(opts.sample),
      body: createReadStream(opts.sample, { highWaterMark: 1 << 20 }),
      openWorkspace: openDuckDbWorkspace,
      workDir: WORK_DIR,
    });
  } catch (error) {
    // the sample cannot be read at all: the reason ingest would give it
    if (error instanceof FileRejectedError || error instanceof MappingConfigError) return context.fail(error.message);
    throw error;
  }
  for (const line of sampleLines(report)) context.out(line);
  for (const w of report.warnings) context.err(`warning: ${opts.configDir}/${client.id}: ${w}`);
}
