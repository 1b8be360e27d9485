/**
 * JSON values as the file wrote them. JSON.parse reads every number as a double, so ids above 2^53 collapse
 * (9007199254740993 and 9007199254740992 become one contact) and `1e3` becomes `1000`; an id is the text the
 * file wrote. Numbers are therefore kept as JsonNumber, their literal text, by @streamparser/json's tokenizer
 * with its parseNumber overridden (the library documents the override "to handle numbers that a JavaScript
 * number can't represent, for example by keeping them as strings").
 *
 * Nesting is bounded: the token stream is watched and a value nested deeper than MAX_JSON_DEPTH fails with
 * JsonDepthError before any recursive code (JSON.stringify, a path lookup) could overflow the stack. The
 * tokenizer and token parser themselves keep their stack on the heap.
 */
import { TokenParser, Tokenizer, TokenType } from '@streamparser/json';
import type { ParsedTokenInfo } from '@streamparser/json';

/** Deeper than any export's records (채널톡's, Zendesk's and Connect's are under 10); a 100,000-deep one is an attack. */
export const MAX_JSON_DEPTH = 64;

/** A JSON number, as its literal text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export class JsonDepthError extends Error {
  constructor(readonly depth: number) {
    super(`nested deeper than ${depth} levels`);
    this.name = 'JsonDepthError';
  }
}

class LosslessTokenizer extends Tokenizer {
  protected override parseNumber(text: string): number {
    return new JsonNumber(text) as unknown as number;
  }
}

/**
 * Where the token stream is: its depth, and whether it has opened an array at a path of object keys (the
 * `records:` path of a document). Fed every token before the token parser sees it.
 */
export class JsonPathWatch {
  private readonly frames: { array: boolean; key: string | undefined; expectKey: boolean }[] = [];
  /** whether an array was opened at the watched path */
  found = false;

  constructor(
    private readonly path: string[] | undefined,
    private readonly maxDepth: number,
  ) {}

  get depth(): number {
    return this.frames.length;
  }

  token(info: ParsedTokenInfo): void {
    const top = this.frames.at(-1);
    switch (info.token) {
      case TokenType.LEFT_BRACE:
      case TokenType.LEFT_BRACKET: {
        if (this.frames.length >= this.maxDepth) throw new JsonDepthError(this.maxDepth);
        const array = info.token === TokenType.LEFT_BRACKET;
        if (array && this.path !== undefined && this.frames.length === this.path.length && this.frames.every((f, i) => !f.array && f.key === this.path![i])) this.found = true;
        this.frames.push({ array, key: undefined, expectKey: !array });
        return;
      }
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        this.frames.pop();
        return;
      case TokenType.STRING:
        if (top !== undefined && !top.array && top.expectKey) {
          top.key = info.value as string;
          top.expectKey = false;
        }
        return;
      case TokenType.COMMA:
        if (top !== undefined && !top.array) top.expectKey = true;
        return;
    }
  }
}

export interface JsonStream {
  write(chunk: Uint8Array): void;
  end(): void;
  readonly watch: JsonPathWatch;
}

/**
 * A streaming, lossless parse: `onValue` gets each value at `selector` (a @streamparser/json path such as
 * `$.*`); the first error (syntax or depth) goes to `onError` and ends the parse.
 */
export function jsonStream(options: {
  selector: string;
  recordsPath?: string[];
  maxDepth?: number;
  onValue(value: unknown): void;
  onError(error: Error): void;
}): JsonStream {
  const tokenizer = new LosslessTokenizer();
  const parser = new TokenParser({ paths: [options.selector], keepStack: false });
  const watch = new JsonPathWatch(options.recordsPath, options.maxDepth ?? MAX_JSON_DEPTH);
  let failed = false;
  const fail = (error: Error) => {
    if (failed) return;
    failed = true;
    options.onError(error);
  };
  tokenizer.onToken = (info) => {
    if (failed) return;
    try {
      watch.token(info);
    } catch (error) {
      fail(error as Error);
      return;
    }
    parser.write(info);
  };
  tokenizer.onError = fail;
  parser.onError = (error) => {
    fail(error);
    if (!tokenizer.isEnded) tokenizer.error(error);
  };
  parser.onValue = ({ value }) => {
    if (!failed) options.onValue(value);
  };
  tokenizer.onEnd = () => {
    if (!parser.isEnded) parser.end();
  };
  return {
    watch,
    write(chunk) {
      if (!failed) tokenizer.write(chunk);
    },
    end() {
      if (!failed && !tokenizer.isEnded) tokenizer.end();
    },
  };
}

/** One complete JSON text, numbers kept as written. @throws on invalid JSON or nesting past the limit */
export function parseJsonLossless(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let result: unknown;
  let seen = false;
  let failure: Error | undefined;
  const stream = jsonStream({
    selector: '$',
    maxDepth,
    onValue: (value) => {
      result = value;
      seen = true;
    },
    onError: (error) => (failure ??= error),
  });
  try {
    stream.write(Buffer.from(text, 'utf8'));
    stream.end();
  } catch (error) {
    failure ??= error as Error;
  }
  if (failure !== undefined) throw failure;
  if (!seen) throw new SyntaxError('no JSON value');
  return result;
}

/** A value as record text: strings as they are, numbers as written, true/false, null as no value, else JSON. */
export function jsonText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return jsonStringify(value);
}

/** JSON.stringify that writes a JsonNumber as its literal. Recursion is bounded by MAX_JSON_DEPTH. */
export function jsonStringify(value: unknown): string {
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : jsonStringify(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonStringify(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
