/**
 * JSON records, streamed, mapped with the same language as CSV columns: a column is a field path
 * (`state`, `user.mobileNumber`, `tags[0]`; a key that itself contains a dot is matched whole first). The
 * file is one of:
 * - an array of records (`[{…},{…}]`), or one document whose records are the array at the path the source
 *   names (`records: data.userChats`): read with @streamparser/json, which emits each element as it completes
 *   and keeps nothing of the elements before it. A syntax error rejects the whole file (the rest of a broken
 *   document cannot be placed);
 * - records one per line (NDJSON) or concatenated (`{…}{…}`): split by the byte-level splitter that reads
 *   Firehose CTRs (formats/amazon-connect-ctr.ts), so a broken record is quarantined and reading goes on.
 * A record's line is its 1-based number in the file. Values become text (json-values.ts): strings as they are,
 * numbers as the file wrote them (an id above 2^53 keeps every digit, `1e3` stays `1e3`), true/false, null as
 * no value, an object or array as its JSON.
 *
 * Bounds: a value nested deeper than MAX_JSON_DEPTH quarantines its NDJSON record, or rejects an array file
 * (its records cannot be told apart once the structure is lost); a `records:` path the document does not have
 * rejects the file, naming the path, as a CSV missing its mapped columns is rejected.
 *
 * A path no record has gives no value, as an always-empty CSV column does (JSON exports leave out empty
 * fields): `cspulse config check --sample` lists the paths a sample never has, which catches a misspelt one.
 */
import type { SourceConfig } from '../../config/client-config.ts';
import { readConnectCtrs } from '../formats/amazon-connect-ctr.ts';
import { columnsNamed, mappingParts } from '../mapping/columns-named.ts';
import { MappingConfigError } from '../mapping/errors.ts';
import { compileJsonPaths, fieldReading, JsonPathValueError } from '../mapping/json-path.ts';
import { compileContactSql } from '../mapping/sql-mapping.ts';
import { FileRejectedError } from '../types.ts';
import type { ReadRecordsInput, RecordSet } from './read-records.ts';
import { jsonStream, jsonText, MAX_JSON_DEPTH, parseJsonLossless } from './json-values.ts';
import { RecordFileWriter } from './record-file.ts';
import { gunzipIfNeeded } from './text-decoding.ts';

type JsonSource = Extract<SourceConfig, { format: 'mapped-json' }>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// field paths, predicates and aggregates are the mapping's language: mapping/json-path.ts
export { valueAt } from '../mapping/json-path.ts';

export { jsonText };

/** The first chunk(s) up to the first byte that is not white space, and the stream from there on. */
async function peek(body: AsyncIterable<Uint8Array>): Promise<{ first: number | undefined; rest: AsyncIterable<Uint8Array> }> {
  const iterator = body[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  let first: number | undefined;
  while (first === undefined) {
    const next = await iterator.next();
    if (next.done) break;
    held.push(next.value);
    first = next.value.find((b, i) => !(b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || (i < 3 && (b === 0xef || b === 0xbb || b === 0xbf))));
  }
  async function* rest(): AsyncIterable<Uint8Array> {
    yield* held;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, rest: rest() };
}

export async function readJsonRecords(input: ReadRecordsInput & { source: JsonSource }): Promise<RecordSet> {
  const { source, file } = input;
  const named = [...columnsNamed(mappingParts(source))];
  const position = named.find((c) => typeof c === 'number');
  if (position !== undefined) {
    throw new MappingConfigError(source.id, '(columns)', `JSON records are read by field path, not by position (${position})`);
  }
  const header = named as string[];
  const readers = compileJsonPaths(source.id, header, source.fields);
  const mapping = compileContactSql(source, { header, width: header.length, clientZone: input.clientZone, file, delimiter: ',', ...input.compile });
  const writer = new RecordFileWriter(input.path, Buffer.from(','));
  let records = 0;
  let rejected = 0;
  let count = 0;
  const take = (line: number, record: unknown, raw: () => string) => {
    if (!isObject(record)) {
      input.onReject({ line, field: '(row)', reason: 'not a JSON object', raw: raw().slice(0, 2000) });
      rejected++;
      return;
    }
    let fields: string[];
    try {
      fields = readers.map((read) => jsonText(read(record)));
    } catch (error) {
      if (!(error instanceof JsonPathValueError)) throw error;
      input.onReject({ line, field: fieldReading(source.fields, error.path), reason: error.message, raw: raw().slice(0, 2000) });
      rejected++;
      return;
    }
    writer.writeFields(line, fields);
    records++;
  };
  try {
    const { first, rest } = await peek(gunzipIfNeeded(input.body, file, input.limits.maxBytes, input.limits.maxBytesReason));
    if (first === undefined) return { path: input.path, width: header.length, delimiter: ',', mapping, header, records: 0, rejected: 0, lines: 0, blankLines: 0 };
    if (source.records !== undefined || first === 0x5b) {
      if (source.records !== undefined && first !== 0x7b) throw new FileRejectedError(file, `records: ${source.records} needs a JSON object, and the file does not start with "{"`);
      const recordsPath = source.records?.split('.');
      let error: Error | undefined;
      const stream = jsonStream({
        selector: source.records === undefined ? '$.*' : `$.${source.records}.*`,
        recordsPath,
        onValue: (value) => take(++count, value, () => jsonText(value)),
        onError: (e) => (error ??= e),
      });
      for await (const chunk of rest) {
        stream.write(chunk);
        if (error) break;
      }
      if (!error) stream.end();
      if (error) {
        const reason = error.name === 'JsonDepthError' ? `record ${count + 1} is ${error.message}` : `not valid JSON after record ${count}: ${error.message.replace(/"[^"]*"/g, '"…"').slice(0, 200)}`;
        throw new FileRejectedError(file, reason);
      }
      if (recordsPath !== undefined && !stream.watch.found) {
        throw new FileRejectedError(file, `records: the document has no array at ${source.records} (the path the source names)`);
      }
    } else if (first === 0x7b) {
      for await (const item of readConnectCtrs(rest, file, { maxRecordBytes: input.limits.maxRecordBytes, parse: (text) => parseJsonLossless(text, MAX_JSON_DEPTH) })) {
        count = item.line;
        if (item.ok) take(item.line, item.record, () => item.raw);
        else {
          input.onReject({ line: item.line, field: item.rejection.field, reason: item.rejection.reason, raw: item.raw });
          rejected++;
        }
      }
    } else {
      throw new FileRejectedError(file, `not JSON records: the first byte is 0x${first.toString(16).padStart(2, '0')}, expected "[" or "{"`);
    }
  } finally {
    writer.close();
  }
  return { path: input.path, width: header.length, delimiter: ',', mapping, header, records, rejected, lines: count, blankLines: 0 };
}
