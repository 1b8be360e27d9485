/**
 * The DuckDB baseline in a process of its own, for the cold end-to-end comparison: what a fresh process costs
 * to load DuckDB and convert one file. Prints a JSON line with the conversion's own wall time and rows.
 */
import { duckdbBaseline } from './duckdb-baseline.ts';

const [csv, out, utf8] = process.argv.slice(2);
if (!csv || !out) throw new Error('usage: duckdb-run.ts CP949_CSV OUT_PARQUET [UTF8_COPY]');
const result = await duckdbBaseline(csv, out, { utf8CopyPath: utf8 });
console.log(JSON.stringify({ ms: result.ms, rows: result.rows }));
