/**
 * The live page escapes what comes from exports and people: a category named like markup, a note with a
 * script, a source label with quotes. No script reaches the page, and the page carries none of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { renderLivePage } from '../../../functions/core/live/html.ts';
import { loadLiveView } from '../../../functions/core/live/live-view.ts';
import { buildLivePageModel } from '../../../functions/core/live/model.ts';
import { readSqlFile } from '../../../functions/core/sql/sql-catalog.ts';
import { contact } from '../kpis/lake-fixture.ts';
import { CLIENT, config, configInput, kst, liveLake, NOW } from './live-fixture.ts';

const HOSTILE = '<img src=x onerror="alert(1)">배송';

describe('the live page HTML', () => {
  let engine: DuckDbEngine;
  let html: string;

  beforeAll(async () => {
    // eight more calls of a category named like markup: it runs above its usual (none) and is listed
    const extra = Array.from({ length: 8 }, (_, i) => ({
      client_id: CLIENT,
      dt: '2026-03-31',
      row: contact({ contact_id: `h${i}`, arrived_at: kst('2026-03-31', `10:1${i}:00`), local_hour: 10, wait_seconds: 5, source: 'cti', category: HOSTILE }),
    }));
    const lake = await liveLake(extra);
    const notes = createFolderStore(lake);
    await notes.put(`notes/client_id=${CLIENT}/daily/2026-03-31.md`, '택배사 파업 </div><script>alert("note")</script>');
    engine = await createDuckDbEngine({ lakeRoot: lake });
    const cfg = config({ ...configInput, sources: [{ ...(configInput.sources[0] as object), label: '전화 "CTI"' } as never, configInput.sources[1]!] });
    const view = await loadLiveView({ engine, intradaySql: await readSqlFile('live/intraday'), lake: createFolderStore(lake), notes }, cfg, NOW);
    html = renderLivePage(buildLivePageModel(view, { linkExpiresAt: new Date('2026-04-07T00:00:00Z') }));
  });
  afterAll(async () => engine.close());

  it('shows the hostile category and note as text', () => {
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;배송');
    expect(html).toContain('택배사 파업 &lt;/div&gt;&lt;script&gt;alert(&quot;note&quot;)&lt;/script&gt;');
    expect(html).toContain('전화 &quot;CTI&quot;: ');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/ on[a-z]+="/i);
  });

  it('reloads itself, keeps the link out of any Referer and fits a phone', () => {
    expect(html).toContain('<meta http-equiv="refresh" content="60">');
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<html lang="ko">');
  });
});
