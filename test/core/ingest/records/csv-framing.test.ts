import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { frameCsv, type CsvFramingOptions, type FramingRejection } from '../../../../functions/core/ingest/records/csv-framing.ts';
import { RecordFileWriter } from '../../../../functions/core/ingest/records/record-file.ts';
import { decodeToUtf8, type TextEncoding } from '../../../../functions/core/ingest/records/text-decoding.ts';
import { FileRejectedError } from '../../../../functions/core/ingest/types.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-framing-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

interface Framed {
  header: string[] | null;
  /** the record file's lines without the trim flag: "line,field,field…" with the record file's own quoting */
  records: string[];
  /** the trim flag of each record */
  trim: boolean[];
  rejections: FramingRejection[];
  lines: number;
  blankLines: number;
  replacedUnmapped: number;
}

async function frame(
  input: string | Uint8Array,
  options: Partial<CsvFramingOptions> & { chunk?: number; encoding?: TextEncoding; mappedColumns?: number[] } = {},
): Promise<Framed> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const path = join(dir, `records-${Math.random()}.csv`);
  const writer = new RecordFileWriter(path, Buffer.from(options.delimiter ?? ','));
  const rejections: FramingRejection[] = [];
  try {
    const encoding = options.encoding ?? 'utf-8';
    const result = await frameCsv(decodeToUtf8(chunked(bytes, options.chunk ?? 5), encoding, 'export.csv', { maxBytes: 1 << 30 }), writer, {
      file: 'export.csv',
      delimiter: options.delimiter ?? ',',
      header: options.header ?? true,
      encoding,
      invalidBytes: options.invalidBytes ?? 'reject',
      maxRecordBytes: options.maxRecordBytes ?? 1 << 20,
      onHeader: options.onHeader ?? (() => new Set(options.mappedColumns ?? [0, 1, 2])),
      onReject: (r) => rejections.push(r),
    });
    writer.close();
    const text = await readFile(path, 'utf8');
    const d = options.delimiter ?? ',';
    // every record starts with "<line><d><0|1><d>"; a record spanning lines continues on the next physical lines
    const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
    const flagged = new RegExp(`^(\\d+)${d.replace(/[|\\t]/g, (c) => `\\${c}`)}([01])${d.replace(/[|\\t]/g, (c) => `\\${c}`)}`);
    const trim: boolean[] = [];
    const records = lines.map((l) => {
      const m = flagged.exec(l);
      if (!m) return l;
      trim.push(m[2] === '1');
      return `${m[1]}${d}${l.slice(m[0].length)}`;
    });
    return {
      header: result.header,
      records,
      trim,
      rejections,
      lines: result.lines,
      blankLines: result.blankLines,
      replacedUnmapped: result.replacedUnmapped,
    };
  } finally {
    writer.close();
  }
}

describe('CSV framing', () => {
  it('writes plain lines through with their line numbers; blank lines are counted, not records', async () => {
    const f = await frame('id,name,v\n1,a,10\n\n2,b,20\n');
    expect(f.header).toEqual(['id', 'name', 'v']);
    expect(f.records).toEqual(['2,1,a,10', '4,2,b,20']);
    expect([f.lines, f.blankLines]).toEqual([4, 1]);
  });

  it('a stray quote costs the line it opens on; reading resumes at the next line (issue: 49,998 rows vanished)', async () => {
    // 50,000 chat rows, `"t` in row 2 (file line 3); no other quote in the file
    const rows = Array.from({ length: 50_000 }, (_, i) => (i === 1 ? `c${i},"t,x` : `c${i},topic,x`));
    const f = await frame(`id,topic,agent\n${rows.join('\n')}\n`, { chunk: 64 * 1024 });
    expect(f.rejections).toHaveLength(1);
    expect(f.rejections[0]).toMatchObject({ line: 3, field: '(row)', raw: 'c1,"t,x' });
    expect(f.rejections[0]!.reason).toContain('is never closed');
    expect(f.records).toHaveLength(49_999);
    expect(f.records[0]).toBe('2,c0,topic,x');
    expect(f.records[1]).toBe('4,c2,topic,x');
    expect(f.records.at(-1)).toBe('50001,c49999,topic,x');
  });

  it('a quote that closes lines later with the wrong field count is a stray quote too', async () => {
    // line 3 opens a quote that line 5 closes: as one record it would have 3 + 1 + 2 = 4 fields, not 3
    const f = await frame('id,topic,agent\n1,a,b\n2,"oops,b\n3,c,d\n4,"e",f\n');
    expect(f.rejections.map((r) => r.line)).toEqual([3]);
    expect(f.records).toEqual(['2,1,a,b', '4,3,c,d', '5,4,e,f']);
  });

  it('a quoted field across lines with the right field count is one record, numbered by its first line', async () => {
    const f = await frame('id,text,agent\n1,"first\nsecond, with comma",a7\n2,plain,a8\n');
    expect(f.records).toEqual(['2,1,"first\nsecond, with comma",a7', '4,2,plain,a8'].flatMap((r) => r.split('\n')));
    expect(f.rejections).toEqual([]);
    expect(f.lines).toBe(4);
  });

  it('text after a closing quote, doubled quotes, and a quote inside an unquoted field', async () => {
    const f = await frame('id,text,agent\n1,"a"b,c\n2,"say ""hi""",d\n3,12" pizza,e\n');
    expect(f.rejections).toHaveLength(1);
    expect(f.rejections[0]!.line).toBe(2);
    expect(f.rejections[0]!.reason).toContain('text after the closing quote');
    expect(f.records).toEqual(['3,2,"say ""hi""",d', '4,3,"12"" pizza",e']);
  });

  it('line ends are read per line: a CRLF header with LF rows gives every row (issue: 3 rows read as 1)', async () => {
    const f = await frame('id,name,v\r\n1,a,10\n2,b,20\n3,c,30\n');
    expect(f.records).toEqual(['2,1,a,10', '3,2,b,20', '4,3,c,30']);
    const mixed = await frame('id,name,v\n1,a,10\r\n2,"b\r\nc",20\r\n');
    expect(mixed.records).toEqual(['2,1,a,10', '3,2,"b\r', 'c",20']);
    const crOnly = await frame('id,name,v\r1,a,10\r2,b,20\r');
    expect(crOnly.records).toEqual(['2,1,a,10', '3,2,b,20']);
  });

  it('rows with a wrong number of fields that needed parsing are rejected here with both counts', async () => {
    const f = await frame('id,name,v\n1,"a",10,extra\n');
    expect(f.rejections).toEqual([{ line: 2, field: '(row)', reason: 'expected 3 fields, found 4', raw: '1,"a",10,extra' }]);
  });

  it('an overlong record is rejected by its first line', async () => {
    const long = 'x'.repeat(300);
    const f = await frame(`id,name,v\n1,${long},3\n2,b,4\n`, { maxRecordBytes: 100, chunk: 64 });
    expect(f.rejections.map((r) => [r.line, r.reason])).toEqual([[2, 'the record is longer than 100 bytes']]);
    expect(f.records).toEqual(['3,2,b,4']);
  });

  it('an overlong line in a CR-only file costs that line only, wherever the chunks end (found counting lines for ingest-fuzz.test.ts)', async () => {
    // The rest of a rejected line still arriving was looked for as an LF in the raw chunk, before the CR-only
    // rule turned CRs into LFs: every line after it vanished, counted nowhere.
    const long = 'x'.repeat(300);
    for (const chunk of [7, 64, 4096]) {
      const f = await frame(`id,name,v\r1,a,10\r2,${long},20\r3,c,30\r4,d,40\r`, { maxRecordBytes: 100, chunk });
      expect(f.rejections.map((r) => [r.line, r.reason])).toEqual([[3, 'the record is longer than 100 bytes']]);
      expect(f.records).toEqual(['2,1,a,10', '4,3,c,30', '5,4,d,40']);
      expect([f.lines, f.blankLines]).toEqual([5, 0]);
    }
    // The first line overlong: that the file uses CR alone is known only after it, and its CR (byte 304) may
    // end a chunk.
    for (const chunk of [64, 305, 306]) {
      const f = await frame(`${long},1,2\r3,c,30\r4,d,40\r`, { header: false, maxRecordBytes: 100, chunk });
      expect(f.rejections.map((r) => r.line)).toEqual([1]);
      expect(f.records).toEqual(['2,3,c,30', '3,4,d,40']);
      expect(f.lines).toBe(3);
    }
  });

  it('headers are trimmed of Unicode spaces and a BOM; a header-only file has no records; an empty file is rejected', async () => {
    const f = await frame('\ufeff id ,\u00a0name\u3000,v\n');
    expect(f.header).toEqual(['id', 'name', 'v']);
    expect(f.records).toEqual([]);
    await expect(frame('')).rejects.toThrow('the file is empty: no header row');
    await expect(frame('\n\n')).rejects.toThrow(FileRejectedError);
  });

  it('without a header the first record sets the width and is data', async () => {
    const f = await frame('1\ta\n2\tb\n', { header: false, delimiter: '\t' });
    expect(f.header).toBeNull();
    expect(f.records).toEqual(['1\t1\ta', '2\t2\tb']);
  });

  it('a multi-character delimiter', async () => {
    const f = await frame('id||name\n1||"a||b"\n', { delimiter: '||' });
    expect(f.records).toEqual(['2||1||"a||b"']);
  });

  it('flags records with a space at a field edge or any wide space, so only those are trimmed', async () => {
    const f = await frame('id,name,v\n1,a,10\n2, b,20\n3,c ,30\n4,배송 문의,40\n5,x\u00a0,50\n6,"q ",60\n');
    expect(f.trim).toEqual([false, true, true, false, true, true]);
  });

  it('NUL bytes are dropped; a file that is mostly NUL bytes is binary and rejected', async () => {
    const f = await frame('id,name,v\n1,a\0b,3\n');
    expect(f.records).toEqual(['2,1,ab,3']);
    await expect(frame(new Uint8Array(4096))).rejects.toThrow('binary data');
  });

  it('undecodable bytes: rejected with line and column; kept in an unmapped column with invalid_bytes: replace', async () => {
    const bad = Buffer.concat([Buffer.from('id,name,note\n1,a,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    await expect(frame(bad)).rejects.toThrow('line 2, column 3 (note): bytes that are not valid UTF-8');
    const kept = await frame(bad, { invalidBytes: 'replace', mappedColumns: [0, 1] });
    expect(kept.records).toEqual(['2,1,a,\ufffd\ufffd']);
    expect(kept.replacedUnmapped).toBe(2);
    await expect(frame(bad, { invalidBytes: 'replace', mappedColumns: [0, 2] })).rejects.toThrow('in a column the mapping reads');
  });
});

describe('text decoding', () => {
  it('CP949 through the table gives the same text as iconv-lite, 똠 included, across chunk boundaries', async () => {
    const text = 'id,상담유형\n1,똠얌꿍 문의\n2,배송·반품\n';
    const f = await frame(iconv.encode(text, 'cp949'), { encoding: 'cp949', chunk: 3 });
    expect(f.header).toEqual(['id', '상담유형']);
    expect(f.records).toEqual(['2,1,똠얌꿍 문의', '3,2,배송·반품']);
  });

  it('a CP949 source whose Korean text turns to UTF-8 after the first 64 KB is rejected whole (issue 12.5)', async () => {
    const ascii = `id,topic\n${Array.from({ length: 4000 }, (_, i) => `${i},delivery`).join('\n')}\n`;
    const korean = Array.from({ length: 200 }, (_, i) => `k${i},배송 문의`).join('\n');
    const bytes = Buffer.concat([iconv.encode(ascii, 'cp949'), Buffer.from(korean, 'utf8')]);
    expect(bytes.length).toBeGreaterThan(20_000);
    await expect(frame(bytes, { encoding: 'cp949', chunk: 4096 })).rejects.toThrow(/declared cp949 but the bytes from offset [\d,]+ are UTF-8 Korean text/);
  });

  it('UTF-16LE: decoded; an odd number of bytes is a clean rejection, not a crash (issue 12.3)', async () => {
    const utf16 = Buffer.from('\ufeffid,name,v\n1,가,3\n', 'utf16le');
    expect((await frame(utf16, { encoding: 'utf-16le' })).records).toEqual(['2,1,가,3']);
    await expect(frame(utf16.subarray(0, utf16.length - 1), { encoding: 'utf-16le' })).rejects.toThrow('is not valid UTF-16LE');
  });

  it('single-byte code pages: windows-1251 and latin1', async () => {
    expect((await frame(iconv.encode('id,name,v\n1,Иван,3\n', 'windows-1251'), { encoding: 'windows-1251' })).records).toEqual(['2,1,Иван,3']);
    expect((await frame(iconv.encode('id,name,v\n1,José,3\n', 'latin1'), { encoding: 'latin1' })).records).toEqual(['2,1,José,3']);
  });

  it('gzip is detected by content and bounded; 200 KB of gzipped newlines is read quickly', async () => {
    const newlines = gzipSync(Buffer.concat([Buffer.from('id,name,v\n'), Buffer.alloc(200 * 1024 * 1024, 0x0a)]), { level: 9 });
    expect(newlines.length).toBeLessThan(300 * 1024);
    const started = performance.now();
    const f = await frame(newlines, { chunk: 64 * 1024 });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect([f.records.length, f.blankLines]).toEqual([0, 200 * 1024 * 1024]);
    await expect(
      (async () => {
        for await (const _ of decodeToUtf8(chunked(gzipSync(Buffer.alloc(1 << 20, 0x41)), 1024), 'utf-8', 'bomb.csv.gz', { maxBytes: 1000 })) void _;
      })(),
    ).rejects.toThrow('decompresses to more than 1,000 bytes');
  });

  it('binary formats uploaded as CSV are named', async () => {
    await expect(frame(Buffer.from('PK\u0003\u0004rest-of-zip'))).rejects.toThrow('an XLSX workbook is one');
  });
});
