import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium, isCi } from './browser.ts';

describe('finding a browser for the browser tests', () => {
  it('takes CHROMIUM_PATH when it names a file, and nothing else when it names none', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'cspulse-chromium-')), 'chrome');
    await writeFile(file, '');
    expect(findChromium({ CHROMIUM_PATH: file })).toBe(file);
    // a wrong CHROMIUM_PATH is not silently replaced by another browser
    expect(findChromium({ CHROMIUM_PATH: `${file}-missing` })).toBeUndefined();
  });

  it('knows CI by CI=true or CI=1', () => {
    expect([isCi({ CI: 'true' }), isCi({ CI: '1' }), isCi({}), isCi({ CI: 'false' })]).toEqual([true, true, false, false]);
  });
});
