/**
 * `cspulse kpis`: the KPI document of one client and period, computed on the local lake with DuckDB.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { ClientConfig } from '../../core/config/client-config.ts';
import { InvalidPeriodError, NoContractError } from '../../core/kpis/errors.ts';
import { QueryError } from '../../core/ports.ts';
import type { KpiDocument, Kpis, PeriodKind } from '../../core/kpis/kpi-result.ts';
import { periodFor } from '../../core/kpis/periods.ts';

export const DEFAULT_LAKE = '.cspulse/lake';

export interface LakeCommandContext {
  loadConfig(configDir: string, clientId: string): Promise<ClientConfig>;
  /** where the local lake is; default: the --lake option, else .cspulse/lake */
  resolveLake?(opts: { lake?: string }): string;
  out?(line: string): void;
  /** reports an expected failure (bad SQL, bad period) so the process exits non-zero without a stack trace */
  fail?(message: string): void;
}

/** Turns the engine's and the period math's named errors into a clear one-line failure. */
export function failClearly(context: LakeCommandContext, error: unknown): never {
  if (error instanceof QueryError || error instanceof InvalidPeriodError || error instanceof NoContractError) {
    const message = error instanceof QueryError ? `query failed: ${error.message}` : error.message;
    context.fail?.(message);
    throw new Error(message, { cause: error });
  }
  throw error;
}

export const resolveLakeOption = (context: LakeCommandContext, opts: { lake?: string }): string =>
  context.resolveLake?.(opts) ?? opts.lake ?? DEFAULT_LAKE;

export const writeOut = (context: LakeCommandContext, line: string): void => {
  if (context.out) context.out(line);
  else process.stdout.write(`${line}\n`);
};

export const parseKind = (value: string): PeriodKind => {
  if (value === 'daily' || value === 'weekly' || value === 'monthly') return value;
  throw new InvalidArgumentError('must be daily, weekly or monthly');
};

export const parseDate = (value: string): string => {
  try {
    periodFor('daily', value);
    return value;
  } catch {
    throw new InvalidArgumentError('must be an existing date YYYY-MM-DD');
  }
};

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const sec = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}s`);

function summaryLines(doc: KpiDocument): string[] {
  const line = (name: string, k: Kpis) =>
    `${name.padEnd(8)} offered ${String(k.offered).padStart(7)}  answered ${String(k.answered).padStart(7)}  ` +
    `answer ${pct(k.answer_rate).padStart(6)}  SL ${pct(k.service_level).padStart(6)}  ASA ${sec(k.asa_seconds).padStart(7)}  ` +
    `AHT ${sec(k.aht_seconds).padStart(7)}  FCR ${pct(k.fcr).padStart(6)}${k.fcr_provisional ? '*' : ''}`;
  return [
    `${doc.client_id} ${doc.period.kind} ${doc.period.start}…${doc.period.end} (${doc.timezone}); prior ${doc.prior_period.start}…${doc.prior_period.end}`,
    line('total', doc.current.total),
    ...Object.entries(doc.current.by_channel).map(([ch, k]) => line(ch, k)),
    `prior    ${line('', doc.prior.total).trim()}`,
    ...doc.sla.map(
      (s) =>
        `SLA ${s.kpi}${s.channel ? `/${s.channel}` : ''} ${s.op} ${s.target}: actual ${s.actual ?? '—'} → ${s.met === null ? 'no data' : s.met ? 'met' : 'missed'}`,
    ),
    ...(doc.current.total.fcr_provisional ? ['* FCR provisional: its window reaches past the newest data'] : []),
  ];
}

export function registerKpisCommand(program: Command, context: LakeCommandContext): void {
  program
    .command('kpis')
    .description(
      'Compute the KPI document (current and prior period, SLA, categories, hourly profile) of one client on the ' +
        'local lake. With --json prints one JSON document; KPI keys as in docs/metrics.md.',
    )
    .requiredOption('--client <id>', 'client id (clients/<id>.yaml)')
    .requiredOption('--period <kind>', 'daily | weekly | monthly', parseKind)
    .requiredOption('--date <YYYY-MM-DD>', "a local date inside the period (client's time zone)", parseDate)
    .option('--json', 'print the KPI document as JSON')
    .option('--config-dir <dir>', 'folder of client configs', 'clients')
    .option('--lake <dir>', 'local lake folder', DEFAULT_LAKE)
    .action(async (opts: { client: string; period: PeriodKind; date: string; json?: boolean; configDir: string; lake?: string }) => {
      const [{ createDuckDbEngine }, { computeKpiDocument }] = await Promise.all([
        import('../../adapters/local/duckdb-engine.ts'),
        import('../../core/kpis/compute-kpi-document.ts'),
      ]);
      const config = await context.loadConfig(opts.configDir, opts.client);
      const engine = await createDuckDbEngine({ lakeRoot: resolveLakeOption(context, opts) });
      try {
        const doc = await computeKpiDocument(engine, config, opts.period, opts.date);
        if (opts.json) writeOut(context, JSON.stringify(doc, null, 2));
        else for (const l of summaryLines(doc)) writeOut(context, l);
      } catch (error) {
        failClearly(context, error);
      } finally {
        await engine.close();
      }
    });
}
