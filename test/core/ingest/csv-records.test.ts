import { describe, expect, it } from 'vitest';
import { CsvRecordTooLongError, readCsvRecords } from '../../../functions/core/ingest/csv-records.ts';

async function* chunks(text: string, size: number): AsyncIterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect(text: string, chunkSize: number, minChunk: number) {
  const out: [number, string[]][] = [];
  for await (const batch of readCsvRecords(chunks(text, chunkSize), ',', minChunk)) {
    batch.records.forEach((record, i) => out.push([batch.lines[i]!, record]));
  }
  return out;
}

const TEXT = 'a,b,c\r\n1,"x\r\ny",3\r\n\r\n4,"q""uote, with comma",6\r\n7,8\r\n똠방각하,"멀티\n라인",9\r\n10,11,12';
// Lines worked out by hand: header on 1; the quoted field spans lines 2-3; line 4 is empty;
// then 5, 6, and a record on 7-8; the last record on 9 has no line break after it.
const EXPECTED: [number, string[]][] = [
  [1, ['a', 'b', 'c']],
  [2, ['1', 'x\r\ny', '3']],
  [5, ['4', 'q"uote, with comma', '6']],
  [6, ['7', '8']],
  [7, ['똠방각하', '멀티\n라인', '9']],
  [9, ['10', '11', '12']],
];

describe('readCsvRecords', () => {
  it('parses quotes, CRLF, empty lines and multi-line fields with physical line numbers', async () => {
    expect(await collect(TEXT, 1_000, 64 * 1024)).toEqual(EXPECTED);
  });

  it('gives the same records whatever the chunk boundaries', async () => {
    for (const size of [1, 2, 3, 5, 7, 13]) expect(await collect(TEXT, size, 4)).toEqual(EXPECTED);
  });

  it('refuses a record that never ends instead of holding it all in memory', async () => {
    const unclosed = 'a,b\n1,"never closed\n' + 'x,y\n'.repeat(100);
    const read = async () => {
      for await (const _ of readCsvRecords(chunks(unclosed, 16), ',', 8, 64)) void _;
    };
    await expect(read()).rejects.toThrow(CsvRecordTooLongError);
    await expect(read()).rejects.toThrow(/line 2 runs past 64 characters/);
  });

  it('handles tab-separated files', async () => {
    const out: string[][] = [];
    for await (const b of readCsvRecords(chunks('x\ty\n1\t2\n', 3), '\t', 2)) out.push(...b.records);
    expect(out).toEqual([['x', 'y'], ['1', '2']]);
  });
});
