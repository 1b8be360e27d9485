import { describe, expect, it } from 'vitest';
import { maxExportBytes, STAGING_FACTOR, stagingLimitReason } from '../../../functions/core/ingest/staging-space.ts';
import { decodeToUtf8 } from '../../../functions/core/ingest/records/text-decoding.ts';

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield Buffer.from(p);
}

describe('what a work folder can stage', () => {
  it('is its size over the measured staging factor (280 MB of /tmp for a 108 MB export)', () => {
    expect(STAGING_FACTOR).toBeGreaterThanOrEqual(280 / 108);
    // Lambda's 512 MiB default: 536,870,912 / 2.6 = 206,488,812.3
    expect(maxExportBytes(536_870_912)).toBe(206_488_812);
    // the old 4 GiB /tmp held about 1.5 GiB of export, not the 4 GiB the size limit let through
    expect(maxExportBytes(4 * 1024 ** 3)).toBe(1_651_910_498);
  });

  it('rejects a larger export with the reason, before it can fill the folder', async () => {
    const limits = { maxBytes: 10, maxBytesReason: stagingLimitReason(26) };
    const read = async () => {
      for await (const _ of decodeToUtf8(chunks('0123456', '789ab'), 'utf-8', 'big.csv', limits)) void _;
    };
    await expect(read()).rejects.toThrow(
      'big.csv: is larger than 10 bytes, the limit for one export (staging needs about 2.6 times a file\'s size and this function\'s /tmp holds 0 MiB)',
    );
    expect(stagingLimitReason(10_737_418_240)).toBe("staging needs about 2.6 times a file's size and this function's /tmp holds 10,240 MiB");
  });
});
