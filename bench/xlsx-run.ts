/**
 * One read of one workbook in a fresh process, so bench:xlsx can read this process's own peak RSS. `cspulse`
 * ingests it as the Lambda would (records stage, mapping SQL, lake); `exceljs` reads the chat sheet with
 * exceljs 4.4's streaming WorkbookReader (shared strings cached), the reader cspulse used before, counting rows.
 * Prints one JSON line.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { openDuckDbWorkspace } from '../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../functions/adapters/local/folder-store.ts';
import { clientConfigSchema } from '../functions/core/config/client-config.ts';
import { ingestFile } from '../functions/core/ingest/ingest-file.ts';

const [reader, file, work, lookups] = process.argv.slice(2);
if (!reader || !file || !work) throw new Error('usage: xlsx-run.ts cspulse|exceljs FILE WORK_DIR [lookups]');
const TIME = 'YYYY-MM-DD HH:mm:ss';
const started = performance.now();
let result: Record<string, unknown>;
if (reader === 'exceljs') {
  let rows = 0;
  let error: string | null = null;
  try {
    const book = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(file), { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
    for await (const sheet of book) for await (const _ of sheet) rows++;
  } catch (e) {
    error = (e as Error).message.slice(0, 120);
  }
  result = { rows, error };
} else {
  const config = clientConfigSchema.parse({
    id: 'bench',
    name: 'Bench',
    timezone: 'Asia/Seoul',
    sources: [
      {
        id: 'chats',
        format: 'mapped-xlsx',
        sheet: 'UserChat data',
        ...(lookups === 'lookups' ? { lookups: [{ sheet: 'User data', key: 'id', by: 'userId' }] } : {}),
        channel: 'chat',
        fields: {
          contact_id: 'id',
          customer: lookups === 'lookups' ? { column: 'User data.mobileNumber', null_values: [''], fallback: [{ column: 'userId' }] } : 'userId',
          arrived_at: { column: 'openedAt', format: TIME },
          answered_at: { column: 'firstRepliedAtAfterOpen', format: TIME, null_values: [''] },
          wait_seconds: { column: 'waitingTime', unit: 'dhms', null_values: [''] },
          agent_id: { column: 'assigneeId', null_values: [''] },
          category: { column: 'tags', null_values: [''] },
        },
        outcome_rules: [
          { when: [{ column: 'firstRepliedAtAfterOpen', empty: false }], then: 'answered' },
          { when: [{ column: 'firstRepliedAtAfterOpen', empty: true }], then: 'abandoned' },
        ],
      },
    ],
    contract: [{ effective_from: '2026-01-01' }],
    recipients: { to: ['ops@example.com'] },
  });
  const m = await ingestFile(
    {
      lake: createFolderStore(join(work, 'lake')),
      quarantine: createFolderStore(join(work, 'quarantine')),
      customerKeySecret: 'benchmark-secret-0123456789',
      openWorkspace: openDuckDbWorkspace,
      clock: { now: () => new Date('2026-03-10T00:00:00Z') },
      workDir: join(work, 'work'),
    },
    { config, sourceId: 'chats', file, body: createReadStream(file, { highWaterMark: 1 << 20 }) },
  );
  result = { status: m.status, error: m.error, rows_read: m.rows_read, rows_written: m.rows_written, rows_quarantined: m.rows_quarantined };
}
const usage = process.resourceUsage();
console.log(JSON.stringify({ reader, ms: performance.now() - started, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, peakRssMb: usage.maxRSS / 1024, ...result }));
