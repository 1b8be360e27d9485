/**
 * UTC instant → the client's local business date (`dt`) and hour. Every row needs this, so offsets are
 * cached per 15-minute UTC slot: zone transitions happen on quarter hours, and Intl is far too slow to call
 * a million times.
 */
export interface LocalSlot {
  dt: string;
  hour: number;
}

const SLOT_MS = 15 * 60 * 1000;

export function businessDateConverter(zone: string): (instant: Date) => LocalSlot {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const offsets = new Map<number, number>();
  const offsetFor = (slot: number): number => {
    let offset = offsets.get(slot);
    if (offset === undefined) {
      const parts = format.formatToParts(new Date(slot * SLOT_MS));
      const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
      const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
      offset = local - slot * SLOT_MS;
      if (offsets.size > 100_000) offsets.clear();
      offsets.set(slot, offset);
    }
    return offset;
  };
  return (instant) => {
    const ms = instant.getTime();
    const local = new Date(ms + offsetFor(Math.floor(ms / SLOT_MS)));
    const y = local.getUTCFullYear();
    const m = local.getUTCMonth() + 1;
    const d = local.getUTCDate();
    return {
      dt: `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`,
      hour: local.getUTCHours(),
    };
  };
}
