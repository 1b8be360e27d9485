/**
 * What a source format hands to the ingest pipeline. A format reader turns bytes into records; a mapper turns
 * one record into a draft row or a rejection naming the field. The pipeline then does what every format shares:
 * hash the customer, derive dt and local_hour in the client's zone, validate, dedupe, write, count.
 */
import type { ContactRow, SurveyRow } from '../tables.ts';

/**
 * A contact before the pipeline adds customer_key, local_hour, source, source_file and ingested_at. It carries
 * the raw customer identifier instead, which the pipeline hashes and never writes. handle_seconds is the
 * source's own figure when it gives one, else null for the pipeline to compute as talk + hold + acw.
 */
export type ContactDraft = Omit<
  ContactRow,
  'customer_key' | 'local_hour' | 'source' | 'source_file' | 'ingested_at' | 'updated_at' | 'delivered_at' | 'wait_min_seconds' | 'wait_max_seconds'
> & {
  customer_raw: string | null;
  /** the source's last update of the record, when it says (it decides which copy of a contact is newest) */
  updated_at?: Date | null;
  /** a wait known only as a bracket (mapping `brackets`): its edges */
  wait_min_seconds?: number | null;
  wait_max_seconds?: number | null;
};

/** A survey response before the pipeline adds source, source_file, ingested_at and delivered_at. */
export type SurveyDraft = Omit<SurveyRow, 'source' | 'source_file' | 'ingested_at' | 'delivered_at'>;

/** Why a row was rejected: enough for a person to find and fix it. */
export interface Rejection {
  /** canonical field or source column the problem is in; `(row)` for a whole-row problem */
  field: string;
  reason: string;
}

export type MapResult<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };

/** One record read from a file: `line` is the 1-based physical line (CSV) or record number (JSON). */
export type SourceRecord<R> =
  | { ok: true; line: number; record: R; raw: string }
  | { ok: false; line: number; raw: string; rejection: Rejection };

/** Thrown when a whole file cannot be read (wrong columns, not the declared format): nothing is written. */
export class FileRejectedError extends Error {
  constructor(
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
    this.name = 'FileRejectedError';
  }
}
