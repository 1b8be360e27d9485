/**
 * An XLSX workbook as an Open Packaging Conventions (OPC) package: a zip of XML parts tied together by
 * relationship parts. The body is first written whole to a file in the run's own staging folder (a zip is read
 * from its central directory at the end, so it cannot be streamed from the front), then read with yauzl, which
 * opens one part at a time and inflates it as a stream: any part can be read in any order, whatever order the
 * writer put the parts in the archive.
 *
 * Part names follow ECMA-376 Part 2 (OPC), §9.1.1 and §9.3: part names are compared case-insensitively, and a
 * relationship's Target is a URI relative to the source part's folder or, starting with "/", absolute from the
 * package root. openpyxl and pandas write absolute targets (`/xl/worksheets/sheet1.xml`), Excel relative ones
 * (`worksheets/sheet1.xml`); both are the same part. The main workbook part is the one `_rels/.rels` names as
 * the officeDocument relationship (usually `xl/workbook.xml`, but the name is the writer's choice).
 *
 * Bounds: at most MAX_ENTRIES parts; a part inflates to at most `maxBytes` (yauzl also checks every inflated
 * size against the size the archive declares); the deadline is checked as parts are read.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { FileRejectedError } from '../../types.ts';

/** More parts than any workbook has: a zip of a million entries is an attack on the central directory. */
const MAX_ENTRIES = 20_000;
const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0];

export interface PackageLimits {
  /** the largest workbook, and the largest inflated part, in bytes */
  maxBytes: number;
  /** epoch ms after which reading is given up */
  deadline?: number;
}

/**
 * Writes the body to `path` (mode 0600), checking its first bytes: an encrypted workbook or an old .xls is an
 * OLE container, not a zip.
 */
export async function spoolWorkbook(body: AsyncIterable<Uint8Array>, path: string, file: string, limits: PackageLimits): Promise<number> {
  const fd = openSync(path, 'w', 0o600);
  let size = 0;
  const head: number[] = [];
  try {
    for await (const chunk of body) {
      for (let i = 0; head.length < 4 && i < chunk.length; i++) head.push(chunk[i]!);
      if (head.length === 4 && size === 0) checkSignature(head, file);
      size += chunk.length;
      if (size > limits.maxBytes) throw new FileRejectedError(file, `is larger than ${limits.maxBytes.toLocaleString('en')} bytes, the limit for one export`);
      let offset = 0;
      while (offset < chunk.length) offset += writeSync(fd, chunk, offset, chunk.length - offset);
    }
  } finally {
    closeSync(fd);
  }
  if (size > 0 && head.length < 4) checkSignature(head, file);
  return size;
}

function checkSignature(head: number[], file: string): void {
  if (head.length === 4 && OLE_SIGNATURE.every((b, i) => head[i] === b)) {
    throw new FileRejectedError(
      file,
      'not an XLSX workbook: an encrypted workbook (an export downloaded with a file password) or an old .xls file; open it and save it as .xlsx without a password',
    );
  }
  if (head[0] !== 0x50 || head[1] !== 0x4b) throw new FileRejectedError(file, 'not an XLSX workbook (an XLSX file is a zip archive, starting "PK")');
}

/** A part name as the package compares it: no leading "/", forward slashes, lower case. */
export const partKey = (name: string): string => name.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();

/** The part a relationship Target points at, from the part that holds the relationship (OPC §9.3). */
export function resolveTarget(sourcePart: string, target: string): string {
  const clean = decodeURIComponentSafe(target.replace(/\\/g, '/').split('#')[0]!);
  if (clean.startsWith('/')) return posix.normalize(clean).replace(/^\/+/, '');
  const folder = posix.dirname(`/${sourcePart.replace(/^\/+/, '')}`);
  return posix.normalize(posix.join(folder, clean)).replace(/^\/+/, '');
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The relationship part of a part: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels` (OPC §9.3.2). */
export const relsPartOf = (part: string): string => {
  const p = part.replace(/^\/+/, '');
  const dir = posix.dirname(p);
  return `${dir === '.' ? '' : `${dir}/`}_rels/${posix.basename(p)}.rels`;
};

export class WorkbookPackage {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    private readonly file: string,
    private readonly limits: PackageLimits,
  ) {}

  static async open(path: string, file: string, limits: PackageLimits): Promise<WorkbookPackage> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (error, opened) =>
        error ? reject(notAZip(file, error)) : resolve(opened),
      ),
    );
    if (zip.entryCount > MAX_ENTRIES) {
      zip.close();
      throw new FileRejectedError(file, `not a readable XLSX workbook: the archive has ${zip.entryCount.toLocaleString('en')} parts, more than ${MAX_ENTRIES.toLocaleString('en')}`);
    }
    const entries = new Map<string, yauzl.Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (entry: yauzl.Entry) => {
          if (!entry.fileName.endsWith('/')) entries.set(partKey(entry.fileName), entry);
          zip.readEntry();
        });
        zip.on('end', () => resolve());
        zip.on('error', (error: Error) => reject(notAZip(file, error)));
        zip.readEntry();
      });
    } catch (error) {
      zip.close();
      throw error;
    }
    return new WorkbookPackage(zip, entries, file, limits);
  }

  has(part: string): boolean {
    return this.entries.has(partKey(part));
  }

  /** The part's inflated bytes as a stream of chunks; undefined when the package has no such part. */
  async *read(part: string): AsyncIterable<Uint8Array> {
    const entry = this.entries.get(partKey(part));
    if (entry === undefined) return;
    if (entry.isEncrypted()) throw new FileRejectedError(this.file, 'not a readable XLSX workbook: its parts are encrypted (remove the password)');
    if (entry.uncompressedSize > this.limits.maxBytes) {
      throw new FileRejectedError(this.file, `part ${entry.fileName} inflates to more than ${this.limits.maxBytes.toLocaleString('en')} bytes, the limit for one export`);
    }
    const stream = await new Promise<Readable>((resolve, reject) =>
      this.zip.openReadStream(entry, (error, s) => (error ? reject(notAZip(this.file, error)) : resolve(s))),
    );
    try {
      for await (const chunk of stream) {
        if (this.limits.deadline !== undefined && Date.now() > this.limits.deadline) {
          throw new FileRejectedError(this.file, 'took longer to read than the time allowed for one export');
        }
        yield chunk as Uint8Array;
      }
    } catch (error) {
      if (error instanceof FileRejectedError) throw error;
      throw notAZip(this.file, error as Error);
    } finally {
      stream.destroy();
    }
  }

  close(): void {
    this.zip.close();
  }
}

function notAZip(file: string, error: Error): FileRejectedError {
  return new FileRejectedError(file, `not a readable XLSX workbook: ${error.message.slice(0, 200)}`, { cause: error });
}
