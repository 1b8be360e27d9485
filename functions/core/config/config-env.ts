/**
 * How a client config travels in a Lambda environment variable. Lambda allows 4 KB of environment in all, and a
 * config with a calendar, a contract and a few mapped sources is about 3 KB of JSON, so it travels compressed:
 * `br:` and the Brotli-compressed compact JSON in base64 (a third of the size). A value without the prefix is
 * plain JSON, as stacks deployed before wrote it.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

const PREFIX = 'br:';

export function encodeConfigEnv(json: string): string {
  const packed = brotliCompressSync(Buffer.from(json, 'utf8'), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(json) },
  });
  return `${PREFIX}${packed.toString('base64')}`;
}

/** @throws Error when a `br:` value is not valid base64 Brotli */
export function decodeConfigEnv(value: string): string {
  return value.startsWith(PREFIX) ? brotliDecompressSync(Buffer.from(value.slice(PREFIX.length), 'base64')).toString('utf8') : value;
}
