/**
 * Throughput and memory of the lake Parquet writer: N contacts rows (24 columns) to a temp file.
 * Prints rows/s against a baseline measured in the same run (the same rows turned into JSON lines and
 * written to a file), and the process's peak RSS. Not a test: nothing here gates CI.
 *
 *   npx tsx bench/parquet-writer.ts [rows] [rowGroupSize]
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ParquetFileWriter } from '../functions/core/lake/parquet-writer.ts';
import { contactsTable, type ContactRow } from '../functions/core/tables.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const rowGroupSize = Number(process.argv[3] ?? 65_536);
const channels = ['phone', 'chat', 'board', 'email'] as const;
const outcomes = ['answered', 'abandoned', 'callback_requested', 'self_service', 'excluded'] as const;
const base = Date.parse('2026-03-01T00:00:00Z');

function makeRow(i: number): ContactRow {
  const arrived = base + i * 2_000;
  const answered = i % 9 === 0 ? null : arrived + 15_000 + (i % 60) * 1_000;
  return {
    updated_at: null,
    delivered_at: null,
    contact_id: `CTI-${String(i).padStart(9, '0')}`,
    channel: channels[i % 4] as ContactRow['channel'],
    direction: i % 10 === 0 ? 'outbound' : 'inbound',
    queue: ['일반문의', '배송', '결제', 'VIP'][i % 4] ?? null,
    category: ['주문', '배송', '반품', '회원'][i % 4] ?? null,
    subcategory: i % 3 === 0 ? null : `세부유형-${i % 37}`,
    customer_key: (i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0').repeat(8),
    agent_id: `agent-${i % 250}`,
    arrived_at: new Date(arrived),
    answered_at: answered === null ? null : new Date(answered),
    ended_at: answered === null ? null : new Date(answered + 180_000),
    ivr_seconds: (i % 30) + 0.5,
    wait_seconds: answered === null ? 42 : (answered - arrived) / 1000,
    talk_seconds: answered === null ? null : 180,
    hold_seconds: i % 5 === 0 ? 12 : 0,
    acw_seconds: 20.25,
    handle_seconds: answered === null ? null : 212.25,
    outcome: outcomes[i % 5] as ContactRow['outcome'],
    is_transferred: i % 13 === 0,
    is_resolved: i % 4 === 0 ? null : i % 4 !== 1,
    local_hour: Math.floor(i / 1800) % 24,
    source: 'cti-main',
    source_file: 'calls_20260301.csv',
    ingested_at: new Date(base + 86_400_000),
  };
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20);
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
};

const dir = await mkdtemp(path.join(tmpdir(), 'cspulse-bench-parquet-'));
try {
  // Baseline: the same rows as JSON lines, written in 4 MiB batches.
  const jsonFile = path.join(dir, 'contacts.jsonl');
  const fd = openSync(jsonFile, 'w');
  let t0 = performance.now();
  let batch: string[] = [];
  let batchBytes = 0;
  for (let i = 0; i < rows; i++) {
    const line = `${JSON.stringify(makeRow(i))}\n`;
    batch.push(line);
    batchBytes += line.length;
    if (batchBytes > 4 * 1024 * 1024) {
      writeSync(fd, batch.join(''));
      batch = [];
      batchBytes = 0;
    }
  }
  writeSync(fd, batch.join(''));
  closeSync(fd);
  const jsonSeconds = (performance.now() - t0) / 1000;
  const jsonBytes = statSync(jsonFile).size;
  await rm(jsonFile);
  sample();
  const rssAfterBaseline = peakRss;

  const parquetFile = path.join(dir, 'contacts.parquet');
  t0 = performance.now();
  const writer = new ParquetFileWriter(parquetFile, contactsTable, { rowGroupSize });
  for (let i = 0; i < rows; i++) {
    writer.append(makeRow(i) as unknown as Record<string, unknown>);
    if ((i & 0xffff) === 0) sample();
  }
  const { bytes } = await writer.close();
  const parquetSeconds = (performance.now() - t0) / 1000;
  sample();

  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  console.log(`rows: ${rows}, columns: ${contactsTable.columns.length}, rowGroupSize: ${rowGroupSize}`);
  console.log(`json lines (baseline): ${Math.round(rows / jsonSeconds)} rows/s, ${mib(jsonBytes)}`);
  console.log(`parquet:               ${Math.round(rows / parquetSeconds)} rows/s, ${mib(bytes)}`);
  console.log(`parquet / baseline time: ${(parquetSeconds / jsonSeconds).toFixed(2)}x`);
  console.log(`peak RSS: after baseline ${mib(rssAfterBaseline)}, overall ${mib(peakRss)}`);
} finally {
  clearInterval(sampler);
  await rm(dir, { recursive: true, force: true });
}
