import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import type { SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ColumnDef, TableDef } from '../tables.ts';

/**
 * Parquet files of the lake tables, written from a TableDef so the physical types always match the Athena /
 * DuckDB DDL in sql/:
 *
 * | column type | Parquet physical type | annotation                     | Athena    | DuckDB    |
 * |-------------|-----------------------|--------------------------------|-----------|-----------|
 * | string      | BYTE_ARRAY            | UTF8 + logical STRING          | string    | VARCHAR   |
 * | timestamp   | INT64                 | TIMESTAMP_MILLIS (converted)   | timestamp | TIMESTAMP |
 * | double      | DOUBLE                |                                | double    | DOUBLE    |
 * | int         | INT32                 |                                | int       | INTEGER   |
 * | boolean     | BOOLEAN               |                                | boolean   | BOOLEAN   |
 *
 * Timestamps carry only the converted type TIMESTAMP_MILLIS, which the Parquet format defines as
 * "TIMESTAMP(isAdjustedToUTC=true, unit=MILLIS)": the stored values are UTC instants. The explicit logical
 * TIMESTAMP annotation is left out on purpose: DuckDB reads it as TIMESTAMP WITH TIME ZONE, whose
 * date/hour functions follow the session time zone, while Athena reads the column as a plain `timestamp`.
 * With the converted type alone both engines see a plain UTC `timestamp` and the same SQL gives the same
 * answer on a laptop in Seoul and in Athena.
 *
 * Nullable columns are OPTIONAL, the others REQUIRED; pages are Snappy-compressed. Partition keys
 * (client_id, dt) are not columns of the file: they live in the object key.
 */

export const DEFAULT_ROW_GROUP_SIZE = 65_536;
const CREATED_BY = 'cspulse';

export class ParquetRowError extends Error {
  constructor(
    readonly table: string,
    readonly column: string,
    /** 0-based position of the row in what was written to this file */
    readonly rowNumber: number,
    reason: string,
  ) {
    super(`${table} row ${rowNumber}, column ${column}: ${reason}`);
    this.name = 'ParquetRowError';
  }
}

export interface ParquetWriteOptions {
  /** Rows per row group; each group is encoded and written when full, so memory holds one group. */
  rowGroupSize?: number;
}

/** The Parquet schema of a lake table: root first, then one leaf per data column. */
export function parquetSchemaOf(table: TableDef): SchemaElement[] {
  const root: SchemaElement = { name: 'schema', num_children: table.columns.length };
  return [root, ...table.columns.map(columnSchema)];
}

function columnSchema(column: ColumnDef): SchemaElement {
  const repetition_type = column.nullable ? 'OPTIONAL' : 'REQUIRED';
  switch (column.type) {
    case 'string':
      return { name: column.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type };
    case 'timestamp':
      return { name: column.name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type };
    case 'double':
      return { name: column.name, type: 'DOUBLE', repetition_type };
    case 'int':
      return { name: column.name, type: 'INT32', repetition_type };
    case 'boolean':
      return { name: column.name, type: 'BOOLEAN', repetition_type };
  }
}

type CellValue = string | number | boolean | bigint | null;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/**
 * Checks one value against its column and returns what the encoder takes. Wrong types fail here with the
 * row and column named, instead of deep inside the encoder or, worse, as a silently wrong file.
 */
function cell(table: TableDef, column: ColumnDef, value: unknown, rowNumber: number): CellValue {
  if (value === null || value === undefined) {
    if (column.nullable) return null;
    throw new ParquetRowError(table.name, column.name, rowNumber, 'is required but missing');
  }
  switch (column.type) {
    case 'string':
      if (typeof value === 'string') return value;
      throw wrongType(table, column, value, rowNumber, 'a string');
    case 'timestamp': {
      if (!(value instanceof Date)) throw wrongType(table, column, value, rowNumber, 'a Date');
      const millis = value.getTime();
      if (Number.isNaN(millis)) throw wrongType(table, column, value, rowNumber, 'a valid Date');
      // Buffered as a number: the encoder makes the INT64 when it writes the row group, so a million
      // buffered timestamps are not a million live BigInts.
      return millis;
    }
    case 'double':
      if (typeof value === 'number') return value;
      throw wrongType(table, column, value, rowNumber, 'a number');
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return value;
      throw wrongType(table, column, value, rowNumber, 'a 32-bit integer');
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw wrongType(table, column, value, rowNumber, 'a boolean');
  }
}

// Kept out of cell() so the hot path creates no closure per value.
function wrongType(table: TableDef, column: ColumnDef, value: unknown, rowNumber: number, expected: string): ParquetRowError {
  const got = value instanceof Date ? 'Date' : typeof value;
  return new ParquetRowError(table.name, column.name, rowNumber, `expected ${expected}, got ${got}`);
}

const UNIQUE_COLUMNS = new Set(['contact_id', 'survey_id', 'customer_key']);
/**
 * Encoder hints. Dictionary encoding is tried and thrown away for columns whose values rarely repeat
 * (ids, keyed hashes, instants), so those go PLAIN; min/max statistics are kept only where a reader can
 * skip row groups with them (instants and the ids engines look up), because computing them for every
 * column costs more than the rest of the encoding.
 */
function columnOptions(column: ColumnDef): { encoding?: 'PLAIN'; statistics?: boolean } {
  const unique = UNIQUE_COLUMNS.has(column.name) || (column.type === 'timestamp' && column.name !== 'ingested_at');
  return { ...(unique ? { encoding: 'PLAIN' as const } : {}), statistics: column.type === 'timestamp' || UNIQUE_COLUMNS.has(column.name) };
}

/** Column arrays for one row group, filled row by row. */
class RowGroupBuffer {
  private columns: CellValue[][];
  rows = 0;

  constructor(private readonly table: TableDef) {
    this.columns = table.columns.map(() => []);
  }

  push(row: Record<string, unknown>, rowNumber: number): void {
    const { columns } = this.table;
    // Check the whole row before storing any cell, so a rejected row leaves the buffer unchanged.
    const cells = new Array<CellValue>(columns.length);
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c] as ColumnDef;
      cells[c] = cell(this.table, column, row[column.name], rowNumber);
    }
    for (let c = 0; c < columns.length; c++) (this.columns[c] as CellValue[]).push(cells[c] as CellValue);
    this.rows++;
  }

  /** Hands the buffered columns over and starts empty. */
  take(): { name: string; data: CellValue[] }[] {
    const data = this.table.columns.map((column, c) => ({ name: column.name, data: this.columns[c] as CellValue[], ...columnOptions(column) }));
    this.columns = this.table.columns.map(() => []);
    this.rows = 0;
    return data;
  }
}

function checkRowGroupSize(size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`rowGroupSize must be a positive integer, got ${size}`);
  return size;
}

/**
 * Writes one Parquet file of a lake table incrementally: rows are buffered as columns up to `rowGroupSize`,
 * then that row group is encoded, compressed and written to the file, and the buffer starts over. Memory is
 * bounded by one row group whatever the number of rows. The footer is written by close().
 *
 * Writes are synchronous: each call to the file system happens once per row group (a few MB), and keeping
 * append() synchronous keeps the per-row cost of millions of rows low.
 */
export class ParquetFileWriter {
  private readonly fd: number;
  private readonly sink: FileSink;
  private readonly parquet: ParquetWriter;
  private readonly buffer: RowGroupBuffer;
  private readonly rowGroupSize: number;
  private rows = 0;
  private state: 'open' | 'closed' | 'failed' = 'open';

  constructor(
    readonly path: string,
    readonly table: TableDef,
    options: ParquetWriteOptions = {},
  ) {
    this.rowGroupSize = checkRowGroupSize(options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE);
    this.buffer = new RowGroupBuffer(table);
    this.fd = openSync(path, 'w', 0o644);
    this.sink = new FileSink(this.fd);
    this.parquet = new ParquetWriter({ writer: this.sink, schema: parquetSchemaOf(table), codec: 'SNAPPY', createdBy: CREATED_BY });
  }

  /** @throws ParquetRowError when a value does not fit its column; the row is not written and the file stays usable. */
  append(row: Record<string, unknown>): void {
    if (this.state !== 'open') throw new Error(`parquet writer for ${this.path} is ${this.state}`);
    this.buffer.push(row, this.rows);
    this.rows++;
    if (this.buffer.rows >= this.rowGroupSize) this.flushRowGroup();
  }

  /** Rows appended so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Rows appended but not yet written as a row group. */
  get bufferedRows(): number {
    return this.buffer.rows;
  }

  /**
   * Writes the buffered rows as a row group now. For callers holding many files open at once, who keep the
   * total of buffered rows bounded by flushing the fullest file early.
   */
  flush(): void {
    if (this.state !== 'open') throw new Error(`parquet writer for ${this.path} is ${this.state}`);
    if (this.buffer.rows > 0) this.flushRowGroup();
  }

  /** Writes the last row group and the footer, syncs and closes the file. */
  async close(): Promise<{ rows: number; bytes: number }> {
    if (this.state !== 'open') throw new Error(`parquet writer for ${this.path} is ${this.state}`);
    try {
      if (this.buffer.rows > 0) this.flushRowGroup();
      this.parquet.finish();
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.state = 'closed';
      return { rows: this.rows, bytes: this.sink.offset };
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  /** Closes and deletes the partial file; for when ingest gives up on it. */
  abort(): void {
    if (this.state === 'open') {
      this.state = 'failed';
      try {
        closeSync(this.fd);
      } catch {
        // already closed by a failed close(); the unlink below is what matters
      }
    }
    this.state = 'failed';
    try {
      unlinkSync(this.path);
    } catch {
      // nothing to remove
    }
  }

  private flushRowGroup(): void {
    const rows = this.buffer.rows;
    this.parquet.write({ columnData: this.buffer.take(), rowGroupSize: rows });
  }
}

/** A hyparquet-writer Writer that sends its buffer to a file descriptor after every row group. */
class FileSink extends ByteWriter {
  constructor(private readonly fd: number) {
    super(1 << 20);
  }

  flush(): void {
    let written = 0;
    while (written < this.index) {
      written += writeSync(this.fd, new Uint8Array(this.buffer, written, this.index - written));
    }
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }
}

/** Encodes rows in memory; for small outputs such as tests and report extracts. */
export function encodeParquet(
  table: TableDef,
  rows: Iterable<Record<string, unknown>>,
  options: ParquetWriteOptions = {},
): Uint8Array {
  const rowGroupSize = checkRowGroupSize(options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE);
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({ writer, schema: parquetSchemaOf(table), codec: 'SNAPPY', createdBy: CREATED_BY });
  const buffer = new RowGroupBuffer(table);
  let count = 0;
  const flush = (): void => {
    const size = buffer.rows;
    parquet.write({ columnData: buffer.take(), rowGroupSize: size });
  };
  for (const row of rows) {
    buffer.push(row, count++);
    if (buffer.rows >= rowGroupSize) flush();
  }
  if (buffer.rows > 0) flush();
  parquet.finish();
  return writer.getBytes().slice();
}
