/**
 * docs/sources.md, the mapping reference, shows each preset in full and is read before the code: what it shows
 * must be what ships, and no edit may leave a merge's conflict markers in it, the README or the rest of docs/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../functions/core/config/presets.ts';

const root = join(import.meta.dirname, '../..');
const reference = readFileSync(join(root, 'docs/sources.md'), 'utf8');

describe('docs', () => {
  it('docs/sources.md shows every preset exactly as presets/ holds it', () => {
    const shown = new Map<string, unknown>();
    for (const match of reference.matchAll(/<summary><code>([a-z0-9-]+)<\/code>[^\n]*<\/summary>\s*```json\n([\s\S]*?)\n```/g)) {
      shown.set(match[1]!, JSON.parse(match[2]!));
    }
    expect([...shown.keys()].sort()).toEqual(Object.keys(PRESETS).sort());
    for (const [name, preset] of Object.entries(PRESETS)) expect(shown.get(name), name).toEqual(preset);
  });

  it('carry no conflict markers', () => {
    const files = ['README.md', 'bench/README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text.match(/^(<{7}|={7}|>{7})( |$)/m)?.[0], file).toBeUndefined();
    }
  });
});
