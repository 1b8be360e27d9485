import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';

/**
 * Reads lake Parquet files back (for dedupe across files and for tests). Values come back as the writer took
 * them: strings, numbers (int and double), booleans, Dates for timestamps, null for missing.
 */

export type ParquetCell = string | number | boolean | Date | null;

/** A view over the bytes without copying them. */
function asyncBufferOf(bytes: Uint8Array): AsyncBuffer {
  return {
    byteLength: bytes.byteLength,
    slice: (start: number, end?: number) =>
      bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + (end ?? bytes.byteLength)) as ArrayBuffer,
  };
}

function toCell(value: unknown): ParquetCell {
  if (value === undefined || value === null) return null;
  // INT64 without a timestamp annotation; the lake writes none, but files from elsewhere may.
  if (typeof value === 'bigint') return Number(value);
  return value as ParquetCell;
}

export class ParquetColumnNotFoundError extends Error {
  constructor(readonly column: string, readonly available: string[]) {
    super(`parquet file has no column ${column} (columns: ${available.join(', ')})`);
    this.name = 'ParquetColumnNotFoundError';
  }
}

function columnNames(metadata: FileMetaData): string[] {
  // the schema is flat: the root, then one element per column
  return metadata.schema.slice(1).map((element) => element.name);
}

/** One column's values in file order. @throws ParquetColumnNotFoundError */
export async function readParquetColumn(bytes: Uint8Array, column: string): Promise<ParquetCell[]> {
  const file = asyncBufferOf(bytes);
  const metadata = await parquetMetadataAsync(file);
  const names = columnNames(metadata);
  if (!names.includes(column)) throw new ParquetColumnNotFoundError(column, names);
  const rows = await parquetReadObjects({ file, metadata, columns: [column] });
  return rows.map((row) => toCell(row[column]));
}

/** Every row as an object keyed by column name. */
export async function readParquetRows(bytes: Uint8Array): Promise<Record<string, ParquetCell>[]> {
  const file = asyncBufferOf(bytes);
  const rows = await parquetReadObjects({ file });
  return rows.map((row) => {
    const out: Record<string, ParquetCell> = {};
    for (const [key, value] of Object.entries(row)) out[key] = toCell(value);
    return out;
  });
}

export interface ParquetFileSummary {
  rows: number;
  /** rows in each row group, in file order */
  rowGroups: number[];
  columns: string[];
  createdBy: string | undefined;
}

export async function readParquetSummary(bytes: Uint8Array): Promise<ParquetFileSummary> {
  const metadata = await parquetMetadataAsync(asyncBufferOf(bytes));
  return {
    rows: Number(metadata.num_rows),
    rowGroups: metadata.row_groups.map((group) => Number(group.num_rows)),
    columns: columnNames(metadata),
    createdBy: metadata.created_by,
  };
}
