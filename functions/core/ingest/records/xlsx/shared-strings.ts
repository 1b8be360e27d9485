/**
 * A workbook's shared-string table (ECMA-376 Part 1, §18.4: cells of type "s" hold an index into it), held
 * within a memory budget. Strings are kept in memory until the budget is spent; the rest go to a data file
 * with an index file of 8-byte offsets beside it, both in the run's staging folder, and are read back with
 * positioned reads. A workbook of 8 million shared strings then costs the budget plus two files, not 1.6 GB.
 *
 * Each string is kept to at most `maxChars` + 1 characters: a longer one can only ever reject the rows that use
 * it (the record limit is below that), so the rest of it is never needed.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

/** Estimated heap cost of a string beside its characters (V8 header, array slot). */
const STRING_OVERHEAD = 40;
const DATA_BUFFER = 1 << 20;
const INDEX_BUFFER = 1 << 16;

export class SharedStrings {
  private readonly memory: string[] = [];
  private memoryBytes = 0;
  private spilled = 0;
  private dataFd: number | undefined;
  private indexFd: number | undefined;
  private dataOffset = 0;
  private readonly dataBuffer = Buffer.allocUnsafe(DATA_BUFFER);
  private dataUsed = 0;
  private readonly indexBuffer = Buffer.allocUnsafe(INDEX_BUFFER);
  private indexUsed = 0;
  private sealed = false;
  private readonly pair = Buffer.allocUnsafe(16);

  constructor(
    /** path prefix for the spill files (`<prefix>.data`, `<prefix>.index`) */
    private readonly prefix: string,
    /** bytes of strings held in memory before the rest go to disk */
    private readonly budgetBytes: number,
    readonly maxChars: number,
  ) {}

  get size(): number {
    return this.memory.length + this.spilled;
  }

  /** strings that went to disk */
  get onDisk(): number {
    return this.spilled;
  }

  add(text: string): void {
    const kept = text.length > this.maxChars + 1 ? text.slice(0, this.maxChars + 1) : text;
    const cost = kept.length * 2 + STRING_OVERHEAD;
    if (this.spilled === 0 && this.memoryBytes + cost <= this.budgetBytes) {
      this.memory.push(kept);
      this.memoryBytes += cost;
      return;
    }
    this.spill(kept);
  }

  private spill(text: string): void {
    if (this.dataFd === undefined) {
      this.dataFd = openSync(`${this.prefix}.data`, 'w+', 0o600);
      this.indexFd = openSync(`${this.prefix}.index`, 'w+', 0o600);
    }
    this.putOffset(this.dataOffset);
    const bytes = Buffer.from(text, 'utf8');
    if (this.dataUsed + bytes.length > DATA_BUFFER) this.flushData();
    if (bytes.length > DATA_BUFFER) writeAll(this.dataFd, bytes);
    else {
      bytes.copy(this.dataBuffer, this.dataUsed);
      this.dataUsed += bytes.length;
    }
    this.dataOffset += bytes.length;
    this.spilled++;
  }

  private putOffset(offset: number): void {
    if (this.indexUsed + 8 > INDEX_BUFFER) this.flushIndex();
    this.indexBuffer.writeDoubleLE(offset, this.indexUsed);
    this.indexUsed += 8;
  }

  private flushData(): void {
    if (this.dataUsed === 0) return;
    writeAll(this.dataFd!, this.dataBuffer.subarray(0, this.dataUsed));
    this.dataUsed = 0;
  }

  private flushIndex(): void {
    if (this.indexUsed === 0) return;
    writeAll(this.indexFd!, this.indexBuffer.subarray(0, this.indexUsed));
    this.indexUsed = 0;
  }

  /** Ends the table: what is buffered is written, with the end offset of the last spilled string. */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    if (this.dataFd === undefined) return;
    this.putOffset(this.dataOffset);
    this.flushData();
    this.flushIndex();
  }

  /** The string at a 0-based index, or undefined when the table has none there. */
  get(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0) return undefined;
    if (index < this.memory.length) return this.memory[index];
    const i = index - this.memory.length;
    if (i >= this.spilled) return undefined;
    this.seal();
    readSync(this.indexFd!, this.pair, 0, 16, i * 8);
    const start = this.pair.readDoubleLE(0);
    const end = this.pair.readDoubleLE(8);
    const bytes = Buffer.allocUnsafe(end - start);
    let read = 0;
    while (read < bytes.length) read += readSync(this.dataFd!, bytes, read, bytes.length - read, start + read);
    return bytes.toString('utf8');
  }

  close(): void {
    for (const fd of [this.dataFd, this.indexFd]) if (fd !== undefined) closeSync(fd);
    this.dataFd = this.indexFd = undefined;
    rmSync(`${this.prefix}.data`, { force: true });
    rmSync(`${this.prefix}.index`, { force: true });
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}
