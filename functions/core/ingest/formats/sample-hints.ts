/**
 * What `config check --sample` says about a rejected value: the reason with its quoted values masked (so a
 * transcript pasted into a ticket carries no phone number or e-mail), and, where the value makes it obvious, the
 * option that reads it (`0:04:17` in a duration column wants `unit: hms`; `2024/1/28 22:41` in a timestamp
 * column a pattern such as `YYYY/M/D HH:mm`).
 */

const DURATION_FIELDS = new Set(['ivr_seconds', 'wait_seconds', 'talk_seconds', 'hold_seconds', 'acw_seconds', 'handle_seconds']);
const TIMESTAMP_FIELDS = new Set(['arrived_at', 'answered_at', 'ended_at', 'updated_at', 'responded_at']);

const QUOTED = /"(?:[^"\\]|\\.)*"/g;
const EMAIL = /[^\s"@]+@[^\s"]+/g;

/** A reason with every digit of its quoted values shown as `#` and every e-mail address as `*@*`. */
export function maskReason(reason: string): string {
  return reason.replace(QUOTED, (q) => q.replace(EMAIL, '*@*').replace(/\p{Nd}/gu, '#'));
}

/** The first value a reason quotes, unescaped; undefined when it quotes none. */
export function quotedValue(reason: string): string | undefined {
  const m = reason.match(QUOTED);
  if (m === null) return undefined;
  try {
    return JSON.parse(m[0]) as string;
  } catch {
    return undefined;
  }
}

/** The token pattern of a date-time spelling such as `2024/1/28 22:41`, or undefined when it is not one. */
export function inferTimestampPattern(value: string): string | undefined {
  const v = value.trim();
  if (/^\d{10}$/.test(v)) return 'format: epoch_s';
  if (/^\d{13}$/.test(v)) return 'format: epoch_ms';
  if (/^\d{5}(\.\d+)?$/.test(v)) return 'format: excel';
  const time = (t: string | undefined): string | undefined => {
    if (t === undefined || t === '') return '';
    const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?$/.exec(t);
    if (m === null) return undefined;
    return ` ${m[1]!.length === 1 ? 'H' : 'HH'}:mm${m[3] === undefined ? '' : ':ss'}${m[4] === undefined ? '' : '.SSS'}`;
  };
  const ymd = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]+(.+))?$/.exec(v);
  if (ymd !== null) {
    const t = time(ymd[5]);
    if (t === undefined) return undefined;
    const sep = ymd[2]!;
    // an export that does not pad one part pads none: M and D read one or two digits between separators
    const padded = ymd[3]!.length === 2 && ymd[4]!.length === 2;
    return `format: "YYYY${sep}${padded ? 'MM' : 'M'}${sep}${padded ? 'DD' : 'D'}${t}"`;
  }
  const dmy = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?:[ T]+(.+))?$/.exec(v);
  if (dmy !== null) {
    const t = time(dmy[5]);
    if (t === undefined) return undefined;
    const sep = dmy[2]!;
    const [a, b] = [Number(dmy[1]), Number(dmy[3])];
    if (a > 12) return `format: "DD${sep}MM${sep}YYYY${t}"`;
    if (b > 12) return `format: "MM${sep}DD${sep}YYYY${t}"`;
    return `format: "DD${sep}MM${sep}YYYY${t}" or "MM${sep}DD${sep}YYYY${t}" (the sample does not tell day from month)`;
  }
  const compact = /^(\d{4})(\d{2})(\d{2})(?:[ T]?(\d{2})(\d{2})(\d{2}))?$/.exec(v);
  if (compact !== null) return `format: "YYYYMMDD${compact[4] === undefined ? '' : 'HHmmss'}"`;
  return undefined;
}

/** The option that would read a value a field rejected, when the value makes it plain. */
export function hintFor(field: string, value: string): string | undefined {
  const v = value.trim();
  if (DURATION_FIELDS.has(field)) {
    if (/^-?\d{1,3}:\d{2}:\d{2}(\.\d+)?$/.test(v) || /^\d{1,2}:\d{2}$/.test(v)) return 'unit: hms';
    if (/^(?=.*\d)(\d+d\s*)?(\d+h\s*)?(\d+m\s*)?(\d+(\.\d+)?s)?$/i.test(v)) return 'unit: dhms';
    if (/^\d+(\.\d+)?\s*ms$/i.test(v)) return 'unit: milliseconds';
  }
  if (TIMESTAMP_FIELDS.has(field)) return inferTimestampPattern(v);
  return undefined;
}
