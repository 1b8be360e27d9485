/**
 * Runs the simulated clients and writes their exports under `<outDir>/<client_id>/<source_id>/<file>` with a
 * `truth.json` per client. Deterministic: the same options give byte-identical files.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ClientConfig, SourceConfig } from '../core/config/client-config.ts';
import { parseClientConfig } from '../core/config/parse-config.ts';
import { parse as parseYaml } from 'yaml';
import { addDays, compactDate } from './calendar.ts';
import { ClientSimulator, dayKind } from './engine.ts';
import { SimulatorConfigError } from './errors.ts';
import type { ClientScenario } from './scenario.ts';
import { exampleScenario } from './scenarios/example.ts';
import { northwindScenario } from './scenarios/northwind.ts';
import { TruthBuilder, type ClientTruth } from './truth.ts';
import { ConnectCtrWriter } from './writers/connect-ctr.ts';
import { MappedCsvWriter, type DefectKind } from './writers/mapped-csv.ts';
import type { IntradayDelivery, SourceWriter } from './writers/output.ts';

export const SCENARIOS: Readonly<Record<string, ClientScenario>> = {
  example: exampleScenario,
  northwind: northwindScenario,
};

export const DEFAULT_CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../clients');

export interface SimulateOptions {
  readonly seed: number;
  /** first local date, YYYY-MM-DD */
  readonly startDate: string;
  readonly days: number;
  readonly outDir: string;
  /** client ids to simulate; default every client that has a scenario */
  readonly clients?: readonly string[];
  /** folder with the client configs the exports must match; default the repository's clients/ */
  readonly configDir?: string;
  /**
   * the live demo: from this local date on, the contact sources (or those listed) are delivered every few minutes
   * (writers/output.ts IntradayDelivery); survey exports stay daily
   */
  readonly intraday?: IntradayDelivery & { readonly sources?: readonly string[] };
  /** start the scenario's planted incident on this local date instead of its usual place in the range */
  readonly incidentOn?: string;
}

export interface SimulatedClient {
  readonly clientId: string;
  readonly truthFile: string;
  readonly files: number;
  readonly contacts: number;
  readonly surveys: number;
}

export interface SimulationResult {
  readonly outDir: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly clients: SimulatedClient[];
}

/** `count` day indexes spread evenly over the open weekdays of the range (incident days left alone). */
function spreadDays(eligible: readonly number[], count: number): number[] {
  if (eligible.length === 0 || count <= 0) return [];
  return Array.from({ length: count }, (_, j) => eligible[Math.floor(((j + 0.5) * eligible.length) / count)]!);
}

function requireSource(config: ClientConfig, id: string): SourceConfig {
  const source = config.sources.find((s) => s.id === id);
  if (!source) throw new SimulatorConfigError(`client "${config.id}" has no source "${id}" the simulator writes`);
  return source;
}

/** Field names of each source in the order the config file lists them (the header order of its export). */
export function sourceFieldOrder(configText: string): Map<string, string[]> {
  const raw = parseYaml(configText) as { sources?: { id?: unknown; fields?: unknown }[] };
  const order = new Map<string, string[]>();
  for (const s of raw.sources ?? []) {
    if (typeof s.id === 'string' && s.fields && typeof s.fields === 'object') order.set(s.id, Object.keys(s.fields));
  }
  return order;
}

function writersFor(
  scenario: ClientScenario,
  config: ClientConfig,
  fieldOrder: Map<string, string[]>,
  sim: ClientSimulator,
  options: SimulateOptions,
  clientDir: string,
): SourceWriter[] {
  const incident = new Set(sim.incidentDates());
  const weekdays: number[] = [];
  for (let i = 0; i < options.days; i++) {
    const date = addDays(options.startDate, i);
    if (dayKind(date, scenario.country) === 'weekday' && !incident.has(date)) weekdays.push(i);
  }
  const dq = scenario.dataQuality;
  const writers: SourceWriter[] = [];
  const seen = new Set<string>();
  const intradayOf = (sourceId: string): IntradayDelivery | null =>
    options.intraday !== undefined && (options.intraday.sources === undefined || options.intraday.sources.includes(sourceId))
      ? { from: options.intraday.from, minutes: options.intraday.minutes }
      : null;
  const plan = (kinds: [DefectKind, number][]): Map<number, DefectKind[]> => {
    const map = new Map<number, DefectKind[]>();
    kinds.forEach(([kind, count], k) => {
      // Offset each kind so they do not all land on the same day.
      const days = spreadDays(weekdays.slice(k * 3), count);
      for (const d of days) map.set(d, [...(map.get(d) ?? []), kind]);
    });
    return map;
  };

  for (const ch of scenario.channels) {
    if (seen.has(ch.sourceId)) continue;
    seen.add(ch.sourceId);
    const source = requireSource(config, ch.sourceId);
    if (source.format === 'mapped-csv') {
      const phone = ch.channel === 'phone';
      const redeliverDay = phone && dq.redeliveredFile ? spreadDays(weekdays, 1)[0] : undefined;
      writers.push(
        new MappedCsvWriter(source, {
          outDir: clientDir,
          timezone: config.timezone,
          filePrefix: source.id,
          // The CTI exports one file per local business day; the chat platform per UTC day.
          bucket: phone ? 'local-day' : 'utc-day',
          bom: !phone,
          lineEnding: phone ? '\r\n' : '\n',
          plan: phone
            ? plan([
                ['bad_date', dq.malformedPerKind],
                ['unknown_outcome', dq.malformedPerKind],
                ['missing_contact_id', dq.malformedPerKind],
                ['too_few_columns', dq.malformedPerKind],
                ['duplicate_row', dq.duplicateRows],
              ])
            : plan([
                ['bad_date', dq.malformedPerKind > 0 ? 1 : 0],
                ['duplicate_row', dq.duplicateRows > 0 ? 1 : 0],
              ]),
          redeliverFile: redeliverDay === undefined ? null : `${source.id}_${compactDate(addDays(options.startDate, redeliverDay))}.csv`,
          dataQuality: dq,
          fieldOrder: fieldOrder.get(source.id) ?? [],
          intraday: intradayOf(source.id),
        }),
      );
    } else if (source.format === 'amazon-connect-ctr') {
      writers.push(
        new ConnectCtrWriter(source.id, {
          outDir: clientDir,
          seed: options.seed,
          streamName: `${config.id}-ctr`,
          systemNumber: '+18005550199',
          duplicateDays: new Set(spreadDays(weekdays, dq.duplicateRows)),
          intraday: intradayOf(source.id),
        }),
      );
    } else {
      throw new SimulatorConfigError(`source "${source.id}" of "${config.id}" has format ${source.format}, which the simulator does not write for contacts`);
    }
  }
  if (scenario.surveys) {
    const source = requireSource(config, scenario.surveys.sourceId);
    if (source.format !== 'mapped-survey-csv') throw new SimulatorConfigError(`survey source "${source.id}" must be mapped-survey-csv`);
    writers.push(
      new MappedCsvWriter(source, {
        outDir: clientDir,
        timezone: config.timezone,
        filePrefix: source.id,
        // Survey tools export per local day, overnight, in time for the morning report.
        bucket: 'local-day',
        bom: false,
        lineEnding: '\n',
        plan: new Map(),
        redeliverFile: null,
        dataQuality: dq,
        fieldOrder: fieldOrder.get(source.id) ?? [],
      }),
    );
  }
  return writers;
}

async function simulateClient(clientId: string, options: SimulateOptions): Promise<SimulatedClient> {
  const scenario = SCENARIOS[clientId];
  if (!scenario) throw new SimulatorConfigError(`no simulation scenario for client "${clientId}" (have: ${Object.keys(SCENARIOS).join(', ')})`);
  const file = join(options.configDir ?? DEFAULT_CONFIG_DIR, `${clientId}.yaml`);
  const configText = await readFile(file, 'utf8');
  const config = parseClientConfig(configText, file);
  const clientDir = join(options.outDir, clientId);
  await mkdir(clientDir, { recursive: true });

  const incidentIndex = options.incidentOn === undefined ? undefined : Math.round((Date.parse(options.incidentOn) - Date.parse(options.startDate)) / 86_400_000);
  const sim = new ClientSimulator(scenario, config.timezone, options.seed, options.startDate, options.days, incidentIndex);
  const writers = writersFor(scenario, config, sourceFieldOrder(configText), sim, options, clientDir);
  const truth = new TruthBuilder(config);
  let contacts = 0;
  let surveys = 0;
  let incidentExtra = 0;
  let rangeEndMs = 0;
  for (let i = 0; i < options.days; i++) {
    const simulated = sim.simulateDay(i);
    rangeEndMs = simulated.endMs;
    // Surveys answered after the last simulated day have not happened yet as far as the exports know.
    const lastDay = i === options.days - 1;
    const day = lastDay ? { ...simulated, surveys: simulated.surveys.filter((s) => s.respondedMs < rangeEndMs) } : simulated;
    truth.addDay(day);
    for (const w of writers) w.addDay(day);
    for (const w of writers) await w.flush(day.endMs, false);
    contacts += day.contacts.length;
    surveys += day.surveys.length;
    incidentExtra += day.contacts.filter((c) => c.isIncident).length;
  }
  for (const w of writers) await w.flush(rangeEndMs, true);

  const sources = writers.map((w) => w.truth());
  const result: ClientTruth = {
    client_id: clientId,
    timezone: config.timezone,
    seed: options.seed,
    start_date: options.startDate,
    end_date: addDays(options.startDate, options.days - 1),
    days: truth.days(),
    incident: scenario.incident && sim.incidentDates().length > 0
      ? {
          category: scenario.incident.category,
          dates: sim.incidentDates(),
          multiplier: scenario.incident.multiplier,
          description: scenario.incident.description,
          extra_contacts: incidentExtra,
        }
      : null,
    sources,
    notes: [
      'days[].channels counts every contact by its local arrival date; surveys by their local answer date.',
      'malformed rows carry a fresh contact id (the original id + "9" + a number) and must be quarantined; duplicates and redelivered files must be dropped by dedupe.',
      'extra_records are Connect contact records that are not inbound contacts (TRANSFER and CALLBACK legs).',
    ],
  };
  const truthFile = join(clientDir, 'truth.json');
  await writeFile(truthFile, `${JSON.stringify(result, null, 2)}\n`);
  return {
    clientId,
    truthFile,
    files: sources.reduce((n, s) => n + s.files.length, 0),
    contacts,
    surveys,
  };
}

export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.startDate)) throw new SimulatorConfigError(`startDate must be YYYY-MM-DD, got "${options.startDate}"`);
  if (!Number.isInteger(options.days) || options.days < 1) throw new SimulatorConfigError(`days must be a positive integer, got ${options.days}`);
  const ids = options.clients ?? Object.keys(SCENARIOS);
  const clients: SimulatedClient[] = [];
  for (const id of ids) clients.push(await simulateClient(id, options));
  return { outDir: options.outDir, startDate: options.startDate, endDate: addDays(options.startDate, options.days - 1), clients };
}
