/**
 * What the source writers share: files collected per time bucket and written once the simulation has moved
 * past the bucket's end, so a run holds at most a day or two of rows in memory.
 */
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { SimDay } from '../engine.ts';

export interface PlantedRow {
  readonly file: string;
  /** 1-based physical line (CSV) or record number (JSON) of the planted row */
  readonly line: number;
  readonly kind: string;
  /** contact id of the real contact the row was derived from */
  readonly contact_id: string | null;
}

export interface SourceFilesTruth {
  readonly source_id: string;
  readonly format: string;
  readonly files: { name: string; rows: number; bytes: number }[];
  /** rows that must be quarantined: each with the file, line and what is wrong */
  readonly malformed: PlantedRow[];
  /** exact copies of a row or record already delivered, which dedupe must drop */
  readonly duplicates: PlantedRow[];
  /** whole files delivered again under another name */
  readonly redelivered: { file: string; copy_of: string }[];
  /** extra records that are not inbound contacts (Connect transfer and callback legs) */
  readonly extra_records: { kind: string; count: number }[];
}

export type SimDayWithEnd = SimDay;

/**
 * From a local date on, a source's records are delivered in windows of a few minutes instead of once a day or
 * twelve hours: Amazon Connect through Firehose (whose buffer holds at most 900 s), or a collector that pulls a
 * vendor's export every few minutes. What the live demo replays.
 */
export interface IntradayDelivery {
  /** first local date delivered so */
  readonly from: string;
  readonly minutes: number;
}

/** Windows of `minutes` on the epoch's grid: local quarter hours in every zone with a whole- or half-hour offset. */
export const windowStart = (ms: number, minutes: number): number => Math.floor(ms / (minutes * 60_000)) * minutes * 60_000;

/** A pulled window's file is there a minute after the window closes. */
export const INTRADAY_DELAY_MS = 60_000;

export interface SourceWriter {
  readonly sourceId: string;
  addDay(day: SimDayWithEnd): void;
  /** write every bucket that ends at or before `watermarkMs` (all of them when `final`) */
  flush(watermarkMs: number, final: boolean): Promise<void>;
  truth(): SourceFilesTruth;
}

/** Lines of one output file, buffered until its bucket closes. */
export interface Bucket {
  readonly name: string;
  readonly closesAtMs: number;
  readonly lines: string[];
}

export class BucketSet {
  private readonly buckets = new Map<string, Bucket>();

  get(name: string, closesAtMs: number): Bucket {
    let b = this.buckets.get(name);
    if (!b) {
      b = { name, closesAtMs, lines: [] };
      this.buckets.set(name, b);
    }
    return b;
  }

  /** Closed buckets, removed from the set, in name order so writes are reproducible. */
  take(watermarkMs: number, final: boolean): Bucket[] {
    const out: Bucket[] = [];
    for (const b of this.buckets.values()) if (final || b.closesAtMs <= watermarkMs) out.push(b);
    for (const b of out) this.buckets.delete(b.name);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/**
 * Writes one export file and dates it (its modification time) when the vendor would have delivered it, so a
 * replay can ingest each file at its own moment and the reports' data-quality footer sees on-time deliveries.
 */
export async function writeOutput(dir: string, name: string, bytes: Uint8Array, deliveredAtMs: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, bytes);
  const at = new Date(deliveredAtMs);
  await utimes(path, at, at);
}

/** RFC 4180 quoting: only cells that need it, doubled quotes inside. */
export function csvCell(value: string, delimiter: string): string {
  if (value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}
