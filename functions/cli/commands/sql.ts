/**
 * `cspulse sql QUERY --client ID --period P --date D`: a KPI query exactly as the report sends it to Athena for a
 * client and period — its `{{ }}` slots filled with the contract version's terms and the period bounds, its `?`
 * execution parameters listed in order (or written in, with --inline) — ready to paste into the Athena console.
 *
 * The text is not rebuilt here: the report's own code (computeKpiDocument) runs against an engine that records
 * what it is sent and answers nothing, so what prints is what the report Lambda sends.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { RecordedQuery } from '../../adapters/local/recording-engine.ts';
import type { PeriodKind } from '../../core/kpis/kpi-result.ts';
import { KPI_SQL_NAMES, type KpiSqlName } from '../../core/sql/sql-catalog.ts';
import { failClearly, parseDate, parseKind, writeOut, type LakeCommandContext } from './kpis.ts';

const QUERY_NAMES = KPI_SQL_NAMES.map((n) => n.replace(/^kpis\//, ''));

const parseQueryName = (value: string): KpiSqlName => {
  const name = value.replace(/^(sql\/)?(kpis\/)?/, '').replace(/\.sql$/, '');
  if (!QUERY_NAMES.includes(name)) throw new InvalidArgumentError(`must be one of ${QUERY_NAMES.join(', ')}`);
  return `kpis/${name}` as KpiSqlName;
};

/** The first line of a KPI file, which its rendered text keeps: how a recorded query is told from the others. */
const firstLine = (text: string): string => text.slice(0, text.indexOf('\n'));

export function registerSqlCommand(program: Command, context: LakeCommandContext): void {
  program
    .command('sql')
    .description(
      'Print a KPI query of sql/kpis/ exactly as the report sends it to Athena for a client and period: contract ' +
        'terms and period bounds filled in, the ? execution parameters listed in order (or written in with --inline).',
    )
    .argument('<query>', QUERY_NAMES.join(' | '), parseQueryName)
    .requiredOption('--client <id>', 'client id (clients/<id>.yaml)')
    .requiredOption('--period <kind>', 'daily | weekly | monthly', parseKind)
    .requiredOption('--date <YYYY-MM-DD>', "a local date inside the period (client's time zone)", parseDate)
    .option('--inline', 'write the parameters into the text instead of listing them')
    .option('--config-dir <dir>', 'folder of client configs', 'clients')
    .action(async (name: KpiSqlName, opts: { client: string; period: PeriodKind; date: string; inline?: boolean; configDir: string }) => {
      // the report's code and the Athena adapter load when the command runs, not for `--help`
      const [{ athenaLiteral }, { createRecordingEngine }, { computeKpiDocument, versionForPeriod }, { periodFor }, { inlineParameters }, { loadSqlCatalog }] = await Promise.all([
        import('../../adapters/aws/athena-engine.ts'),
        import('../../adapters/local/recording-engine.ts'),
        import('../../core/kpis/compute-kpi-document.ts'),
        import('../../core/kpis/periods.ts'),
        import('../../core/sql/inline-parameters.ts'),
        import('../../core/sql/sql-catalog.ts'),
      ]);
      const config = await context.loadConfig(opts.configDir, opts.client);
      const engine = createRecordingEngine();
      let query: RecordedQuery | undefined;
      try {
        const sql = await loadSqlCatalog();
        await computeKpiDocument(engine, config, opts.period, opts.date, { sql, now: new Date(0) });
        query = engine.sent.find((q) => firstLine(q.sql) === firstLine(sql[name]));
      } catch (error) {
        failClearly(context, error);
      }
      if (query === undefined) throw new Error(`the report sent no ${name} query`);
      const period = periodFor(opts.period, opts.date);
      const literals = query.params.map(athenaLiteral);
      const span = period.start === period.end ? period.start : `${period.start} … ${period.end}`;
      writeOut(context, `-- sql/${name}.sql as the ${opts.period} report of ${config.id} for ${span} sends it to Athena`);
      writeOut(context, `-- (contract version in force from ${versionForPeriod(config, period).effective_from})`);
      if (opts.inline) {
        writeOut(context, `-- execution parameters written in: ${literals.join(', ')}`);
        writeOut(context, inlineParameters(query.sql, literals));
      } else {
        writeOut(context, `-- execution parameters, in order: ${literals.join(', ')}`);
        writeOut(context, query.sql);
      }
    });
}
