/**
 * The demo data generator: realistic, reproducible CTI, chat, Amazon Connect and survey exports for the
 * sample clients in clients/, with each client's ground truth beside them.
 */
import { addDays } from './calendar.ts';
import { DEMO_DAYS, DEMO_END_DATE } from './demo-range.ts';
import type { SimulateOptions } from './simulate.ts';

export { simulate, SCENARIOS, DEFAULT_CONFIG_DIR } from './simulate.ts';
export type { SimulateOptions, SimulationResult, SimulatedClient } from './simulate.ts';
export type { ClientTruth, DayTruth, ChannelDayTruth, SurveyDayTruth } from './truth.ts';
export type { SourceFilesTruth, PlantedRow } from './writers/output.ts';

export { DEMO_DAYS, DEMO_END_DATE } from './demo-range.ts';

/** Seed 42, the 90 days ending 2026-03-31 (2026-01-01 … 2026-03-31): the same demo on every machine. */
export function demoOptions(outDir: string): SimulateOptions {
  return { seed: 42, startDate: addDays(DEMO_END_DATE, -(DEMO_DAYS - 1)), days: DEMO_DAYS, outDir };
}
