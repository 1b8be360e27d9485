import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { claimDelivery, deliveryKeys, markSending, releaseClaim, type DeliveryRef } from '../../../functions/core/schedule/delivery-log.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';

const ref: DeliveryRef = { clientId: 'shop', kind: 'daily', periodStart: '2026-03-04' };
const t0 = new Date('2026-03-04T23:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

let store: ObjectStore;
beforeEach(async () => {
  store = createFolderStore(await mkdtemp(path.join(tmpdir(), 'cspulse-claims-')));
});

describe('delivery claims on the folder store', () => {
  it('lives where the lake keeps deliveries', () => {
    expect(deliveryKeys.claim(ref, 0)).toBe('deliveries/client_id=shop/daily/2026-03-04.claim');
    expect(deliveryKeys.claim(ref, 2)).toBe('deliveries/client_id=shop/daily/2026-03-04.claim.2');
    expect(deliveryKeys.sent(ref)).toBe('deliveries/client_id=shop/daily/2026-03-04.sent.json');
  });

  it('lets exactly one of many simultaneous claimants win', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => claimDelivery(store, ref, `run-${i}`, t0)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('holds for the lease, then lets exactly one run take over', async () => {
    const first = await claimDelivery(store, ref, 'crashed', t0, 15 * 60_000);
    expect(first).toMatchObject({ ok: true, record: { owner: 'crashed', generation: 0, expires_at: '2026-03-04T23:15:00.000Z' } });
    const early = await claimDelivery(store, ref, 'early', minutes(14));
    expect(early).toMatchObject({ ok: false, holder: { owner: 'crashed' } });
    const late = await Promise.all(['a', 'b', 'c'].map((owner) => claimDelivery(store, ref, owner, minutes(16))));
    const winners = late.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ key: 'deliveries/client_id=shop/daily/2026-03-04.claim.1', record: { generation: 1 } });
  });

  it('is free again right after its holder releases it', async () => {
    const first = await claimDelivery(store, ref, 'a', t0);
    if (!first.ok) throw new Error('first claim must succeed');
    await releaseClaim(store, first);
    expect(await claimDelivery(store, ref, 'b', minutes(1))).toMatchObject({ ok: true, record: { owner: 'b', generation: 0 } });
  });

  it('never lets a claim that began to send expire: it is in doubt until someone forces it', async () => {
    const first = await claimDelivery(store, ref, 'sender', t0, 15 * 60_000);
    if (!first.ok) throw new Error('first claim must succeed');
    await markSending(store, first, ['<report.shop.daily.2026-03-04@x>'], minutes(1));
    // a day later the lease is long over, yet nobody takes over
    const dayLater = await claimDelivery(store, ref, 'next', minutes(24 * 60));
    expect(dayLater).toMatchObject({ ok: false, inDoubt: true, holder: { owner: 'sender', sending: { message_ids: ['<report.shop.daily.2026-03-04@x>'] } } });
    // unless the log already records that send (the run stopped after logging, before giving the claim back)
    expect(await claimDelivery(store, ref, 'next', minutes(24 * 60), undefined, { isLogged: () => true })).toMatchObject({ ok: true, record: { generation: 1 } });
  });

  it('is taken over when forced', async () => {
    const first = await claimDelivery(store, ref, 'sender', t0);
    if (!first.ok) throw new Error('first claim must succeed');
    await markSending(store, first, ['<m@x>'], t0);
    expect(await claimDelivery(store, ref, 'operator', minutes(1), undefined, { takeOverInDoubt: true })).toMatchObject({ ok: true, record: { owner: 'operator', generation: 1 } });
  });
});
