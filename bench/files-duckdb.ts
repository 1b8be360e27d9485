/**
 * The baseline `npm run bench:files` compares with, in a process of its own: DuckDB converting every file of a
 * folder to Parquet, one file after the other, in one process and one database. Each file is read the way a
 * person converting exports by hand would read it: `read_csv` (detecting the dialect, skipping lines it cannot
 * read) or `read_json` (newline-delimited or concatenated records), and written with `COPY … TO` Parquet.
 * Prints one JSON line: the conversion's own wall time, files and rows.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const [format, dir, out] = process.argv.slice(2);
if ((format !== 'csv' && format !== 'json') || !dir || !out) throw new Error('usage: files-duckdb.ts csv|json FOLDER OUT_FOLDER');

const sqlString = (value: string): string => `'${value.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const files = (await readdir(dir)).filter((f) => !f.startsWith('.')).sort();
const started = performance.now();
let rows = 0;
for (const [i, file] of files.entries()) {
  const path = sqlString(join(dir, file));
  const read = format === 'csv' ? `read_csv(${path}, ignore_errors = true)` : `read_json(${path}, format = 'auto')`;
  const result = await connection.run(`COPY (SELECT * FROM ${read}) TO ${sqlString(join(out, `${i}.parquet`))} (FORMAT parquet)`);
  rows += Number(result.rowsChanged);
}
const ms = performance.now() - started;
connection.closeSync();
instance.closeSync();
console.log(JSON.stringify({ ms, files: files.length, rows }));
