/**
 * Powertools' Logger and Metrics write one JSON document per line to process.stdout, and Logger's WARN and
 * ERROR lines to process.stderr (Lambda sends both to CloudWatch Logs, where EMF lines become metrics). This
 * captures those lines, in order, while a test runs.
 */
import { vi } from 'vitest';

export interface CapturedOutput {
  /** every JSON line written so far, parsed */
  json(): Record<string, unknown>[];
  /** log lines (Logger): those with a `level` */
  logs(): Record<string, unknown>[];
  /** EMF lines (Metrics): those with `_aws.CloudWatchMetrics` */
  emf(): Record<string, unknown>[];
  clear(): void;
  restore(): void;
}

export function captureOutput(): CapturedOutput {
  let buffer = '';
  const write = (chunk: unknown) => {
    buffer += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(write), vi.spyOn(process.stderr, 'write').mockImplementation(write)];
  const json = () =>
    buffer
      .split('\n')
      .filter((line) => line.trim().startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    json,
    logs: () => json().filter((l) => 'level' in l),
    emf: () => json().filter((l) => typeof l._aws === 'object' && l._aws !== null && 'CloudWatchMetrics' in (l._aws as object)),
    clear: () => {
      buffer = '';
    },
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
