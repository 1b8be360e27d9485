/**
 * A part's XML as a stream of events, with bounded memory. The bytes are decoded with a streaming TextDecoder,
 * so a character whose bytes straddle two inflated chunks (every 16 or 64 KiB) is decoded whole; the text is
 * parsed by sax in strict mode, which hands long text over in pieces of at most sax.MAX_BUFFER_LENGTH (64 KiB)
 * and fails on an attribute or tag name longer than that, so no single node is ever held whole: a cell of
 * 480 MB costs the reader what it keeps of it (the cell limit), not 480 MB.
 *
 * Names are given without their namespace prefix (`x:c` is `c`): SpreadsheetML written by some generators
 * prefixes every element, and nothing here depends on the prefix.
 */
import { TextDecoder } from 'node:util';
import sax from 'sax';
import { FileRejectedError } from '../../types.ts';

const WRITE_SLICE = 64 * 1024;

export interface XmlHandlers {
  open(name: string, attributes: Record<string, string>): void;
  text(text: string): void;
  close(name: string): void;
}

const localName = (name: string): string => {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
};

/** The decoder for a part: UTF-8 unless the part starts with a UTF-16 byte order mark. */
function decoderFor(first: Uint8Array): TextDecoder {
  if (first[0] === 0xff && first[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true });
  if (first[0] === 0xfe && first[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true });
  return new TextDecoder('utf-8', { fatal: true });
}

/**
 * Parses the part, calling the handlers; after each chunk the items the handlers put in `out` are yielded, so
 * the caller sees rows as they complete and at most one chunk's worth is ever queued.
 */
export async function* parseXml<T>(chunks: AsyncIterable<Uint8Array>, file: string, part: string, handlers: XmlHandlers, out: T[]): AsyncIterable<T> {
  // position tracking stays on: sax checks its buffers against MAX_BUFFER_LENGTH only as the position advances
  const parser = sax.parser(true, { trim: false, normalize: false, xmlns: false, position: true });
  let failure: Error | undefined;
  parser.onerror = (error) => {
    failure ??= error;
  };
  parser.onopentag = (tag) => handlers.open(localName(tag.name), tag.attributes as Record<string, string>);
  parser.ontext = (text) => handlers.text(text);
  parser.oncdata = (text) => handlers.text(text);
  parser.onclosetag = (name) => handlers.close(localName(name));
  let decoder: TextDecoder | undefined;
  const fail = (error: Error): never => {
    throw new FileRejectedError(file, `not a readable XLSX workbook: ${part}: ${error.message.split('\n')[0]!.slice(0, 160)}`, { cause: error });
  };
  for await (const chunk of chunks) {
    decoder ??= decoderFor(chunk);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch (error) {
      return fail(new Error(`not valid ${decoder.encoding}`, { cause: error }));
    }
    try {
      // sax checks its buffers once per write: slices of 64 KiB keep what it holds of a text under two of them
      for (let i = 0; i < text.length; i += WRITE_SLICE) parser.write(text.length <= WRITE_SLICE ? text : text.slice(i, i + WRITE_SLICE));
    } catch (error) {
      failure ??= error as Error;
    }
    if (failure !== undefined) return fail(failure);
    if (out.length > 0) yield* out.splice(0, out.length);
  }
  let rest: string;
  try {
    rest = decoder?.decode() ?? '';
  } catch (error) {
    return fail(new Error(`not valid ${decoder!.encoding}`, { cause: error }));
  }
  try {
    parser.write(rest);
    parser.close();
  } catch (error) {
    failure ??= error as Error;
  }
  if (failure !== undefined) fail(failure);
  if (out.length > 0) yield* out.splice(0, out.length);
}
