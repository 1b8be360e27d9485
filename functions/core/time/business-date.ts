/**
 * UTC instant → the client's local business date (`dt`) and hour. Every row needs this, so answers are
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
  // Within one 15-minute UTC slot the local date and hour cannot change, so each slot's answer is kept and
  // handed out as is (callers only read it).
  const slots = new Map<number, LocalSlot>();
  const slotOf = (slot: number): LocalSlot => {
    const parts = format.formatToParts(new Date(slot * SLOT_MS));
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    const m = get('month');
    const d = get('day');
    return { dt: `${get('year')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`, hour: get('hour') };
  };
  return (instant) => {
    const slot = Math.floor(instant.getTime() / SLOT_MS);
    let local = slots.get(slot);
    if (local === undefined) {
      local = slotOf(slot);
      if (slots.size > 100_000) slots.clear();
      slots.set(slot, local);
    }
    return local;
  };
}
