/**
 * What a source format hands to the ingest pipeline. A format reader turns bytes into records; a mapper turns
 * one record into a draft row or a rejection naming the field. The pipeline then does what every format shares:
 * hash the customer, derive dt and local_hour in the client's zone, validate, dedupe, write, count.
 */
import type { Channel, Direction, Outcome, SurveyType } from '../tables.ts';

/** A contact before the pipeline adds customer_key, local_hour, source, source_file and ingested_at. */
export interface ContactDraft {
  contact_id: string;
  channel: Channel;
  direction: Direction;
  queue: string | null;
  category: string | null;
  subcategory: string | null;
  /** raw phone number, e-mail or user id: hashed by the pipeline, never written */
  customer_raw: string | null;
  agent_id: string | null;
  arrived_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  ivr_seconds: number | null;
  wait_seconds: number | null;
  talk_seconds: number | null;
  hold_seconds: number | null;
  acw_seconds: number | null;
  /** when the source gives it; otherwise the pipeline computes talk + hold + acw */
  handle_seconds: number | null;
  outcome: Outcome;
  is_transferred: boolean;
  is_resolved: boolean | null;
}

export interface SurveyDraft {
  survey_id: string;
  contact_id: string | null;
  channel: Channel | null;
  agent_id: string | null;
  survey_type: SurveyType;
  score: number;
  scale_min: number;
  scale_max: number;
  comment: string | null;
  responded_at: Date;
}

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
