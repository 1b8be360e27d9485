/**
 * A Korean CTI daily export as the `cti` source of clients/example.yaml reads it: CP949, CRLF, 15 Korean
 * columns, date and time in two columns, wait as H:MM:SS. Used by the ingest benchmark (1,000,000 rows) and by
 * tests (a few thousand).
 *
 * Memory does not grow with rows: lines are built in batches, each batch encoded on its own and written with
 * backpressure. Calls within a day are emitted in time order without sorting: the k-th call of a day of n gets
 * the local time at quantile (k + jitter) / n of an hourly arrival profile.
 *
 * Deterministic for a seed (mulberry32), so a benchmark and its baseline read the same bytes.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import iconv from 'iconv-lite';

export const CTI_HEADER = [
  '콜ID',
  '발신번호',
  '큐',
  '상담유형',
  '상세유형',
  '상담원ID',
  '인입일자',
  '인입시각',
  'IVR시간',
  '대기시간',
  '통화시간',
  '보류시간',
  '후처리시간',
  '처리결과',
  '호전환',
] as const;

export interface CtiExportOptions {
  rows: number;
  seed: number;
  /** first local date, YYYY-MM-DD */
  startDate: string;
  days: number;
  /** cp949 (what the CTI writes) or utf-8 (the same rows for tools that cannot decode CP949) */
  encoding?: 'cp949' | 'utf-8';
  /**
   * Share of rows whose caller has called before in the file (the rest are first calls). Unset: about three
   * calls per customer, drawn uniformly.
   */
  repeatShare?: number;
  /** Share of rows with one malformed field each (a bad date or time, duration, outcome or count, a short row). */
  malformedShare?: number;
}

/** What a generated export holds beyond its rows. */
export interface CtiExportStats {
  rows: number;
  /** rows written malformed: each must be quarantined, for exactly one reason */
  malformed: number;
}

/** mulberry32: small, fast, good enough for test data, and the same on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUEUES = ['일반상담', '일반상담', '일반상담', '주문배송', '교환반품', 'VIP상담'] as const;

/** 상담유형 → 상세유형. 똠 is in CP949 but not in EUC-KR (KS X 1001): it proves the CP949 decoding path. */
const CATEGORIES: readonly (readonly [string, number, readonly string[]])[] = [
  ['배송', 30, ['배송조회', '배송지연', '배송지 변경']],
  ['교환·반품', 20, ['교환신청', '반품신청', '반품비 문의']],
  ['결제', 15, ['결제오류', '환불문의', '무통장입금 확인']],
  ['회원정보', 10, ['비밀번호 재설정', '회원탈퇴', '개인정보 변경']],
  ['상품문의', 20, ['재고문의', '사이즈 문의', '똠양꿍 소스 원산지']],
  ['기타', 5, ['기타']],
];

/** share of calls per local hour 0–23: closed at night, peaks at 10–11 and 14–16 */
const HOURLY: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 6, 12, 11, 6, 8, 11, 11, 10, 7, 4, 2, 1, 0, 0, 0];
const HOURLY_TOTAL = HOURLY.reduce((a, b) => a + b, 0);

const CATEGORY_WEIGHTS = CATEGORIES.map(([, weight]) => weight);

/** index drawn with probability proportional to its weight, for r uniform in [0, 1) */
const pickWeighted = (weights: readonly number[], r: number): number => {
  let at = r * weights.reduce((a, w) => a + w, 0);
  for (let i = 0; i < weights.length; i++) {
    at -= weights[i]!;
    if (at < 0) return i;
  }
  return weights.length - 1;
};

/** seconds after local midnight at quantile q of the hourly profile */
function secondOfDay(q: number): number {
  let remaining = q * HOURLY_TOTAL;
  for (let h = 0; h < 24; h++) {
    const w = HOURLY[h]!;
    if (remaining < w) return Math.floor(h * 3600 + (remaining / w) * 3600);
    remaining -= w;
  }
  return 24 * 3600 - 1;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const hms = (seconds: number): string =>
  `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;

/** The same subscriber written the ways Korean CTIs write it. */
function formatPhone(subscriber: number, style: number): string {
  const mid = pad(Math.floor(subscriber / 10000) % 10000, 4);
  const last = pad(subscriber % 10000, 4);
  switch (style) {
    case 0:
      return `010-${mid}-${last}`;
    case 1:
      return `010${mid}${last}`;
    case 2:
      return `+82-10-${mid}-${last}`;
    case 3:
      return `+8210${mid}${last}`;
    default:
      // a Seoul landline
      return `02-${pad(Math.floor(subscriber / 10000) % 1000, 3)}-${last}`;
  }
}

const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

/** The ways a row is malformed, one field each; every one is a reason ingest quarantines a row for. */
const MALFORMATIONS: readonly ((fields: string[]) => string[])[] = [
  (f) => f.with(6, `${f[6]!.slice(0, 4)}1399`), // 인입일자: month 13
  (f) => f.with(7, '25:61:00'), // 인입시각: no such clock time
  (f) => f.with(9, '0:7'), // 대기시간: not H:MM:SS
  (f) => f.with(10, '12초'), // 통화시간: not a number
  (f) => f.with(13, '알수없음'), // 처리결과: not in the outcome map
  (f) => f.slice(0, 12), // a row cut short
];

/**
 * Builds the lines of the export one at a time; exported for tests that want the rows without a file.
 * `stats` counts what was written. The default options draw the same random numbers as they always have, so a
 * seed gives the same bytes whatever options other runs use.
 */
export function* ctiLines(options: Omit<CtiExportOptions, 'encoding'>, stats: CtiExportStats = { rows: 0, malformed: 0 }): Generator<string> {
  const { rows, seed, startDate, days, repeatShare, malformedShare } = options;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) throw new RangeError(`startDate must be YYYY-MM-DD: ${startDate}`);
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`rows must be a non-negative integer: ${rows}`);
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer: ${days}`);
  const random = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  // about three calls per customer over the period: repeat callers exist, as in real traffic
  const customers = Math.max(1, Math.floor(rows / 3));
  let callersSoFar = 0;
  const caller = (): number => {
    if (repeatShare === undefined) return int(0, customers - 1);
    if (callersSoFar > 0 && random() < repeatShare) return int(0, callersSoFar - 1);
    return callersSoFar++;
  };

  yield CTI_HEADER.join(',');
  for (let day = 0; day < days; day++) {
    const first = Math.floor((rows * day) / days);
    const count = Math.floor((rows * (day + 1)) / days) - first;
    const date = addDays(startDate, day);
    let previousSecond = 0;
    for (let k = 0; k < count; k++) {
      const second = Math.max(previousSecond, secondOfDay((k + random()) / count));
      previousSecond = second;
      const who = caller();
      const subscriber = (who * 7919 + 12_345_678) % 100_000_000;
      const hidden = random() < 0.01;
      // with repeatShare a caller keeps one line (a landline for every fifth), written in any of its styles, so
      // a repeat is a repeat of the customer the lake keys; without it each call draws its style
      const style = repeatShare === undefined ? (int(0, 9) < 8 ? int(0, 3) : 4) : who % 5 === 4 ? 4 : int(0, 3);
      const phone = hidden ? '' : formatPhone(subscriber, style);
      const categoryIndex = pickWeighted(CATEGORY_WEIGHTS, random());
      const [category, , subcategories] = CATEGORIES[categoryIndex]!;
      const subcategory = subcategories[int(0, subcategories.length - 1)]!;
      const queue = QUEUES[int(0, QUEUES.length - 1)]!;

      const r = random();
      const result = r < 0.82 ? '응대' : r < 0.91 ? '포기' : r < 0.94 ? '콜백' : r < 0.99 ? 'ARS종료' : '테스트';
      const answered = result === '응대';
      const queued = result !== 'ARS종료' && result !== '테스트';
      const ivr = int(5, 90);
      const wait = !queued ? 0 : answered ? Math.min(int(0, 40) * int(0, 3), 600) : int(1, 180);
      const talk = answered ? int(40, 240) + int(0, 600) * (random() < 0.3 ? 1 : 0) : 0;
      const hold = answered && random() < 0.3 ? int(10, 120) : 0;
      const acw = answered ? int(10, 180) : 0;
      const agent = answered ? `A${pad(int(1, 60), 3)}` : '';
      const transferred = answered && random() < 0.06 ? 'Y' : 'N';

      const callId = `C${date}${pad(first + k + 1, 7)}`;
      const time = `${pad(Math.floor(second / 3600))}:${pad(Math.floor(second / 60) % 60)}:${pad(second % 60)}`;
      let fields = [
        callId,
        phone,
        queue,
        category,
        subcategory,
        agent,
        date,
        time,
        String(ivr),
        hms(wait),
        String(talk),
        String(hold),
        String(acw),
        result,
        transferred,
      ];
      if (malformedShare !== undefined && random() < malformedShare) {
        fields = MALFORMATIONS[int(0, MALFORMATIONS.length - 1)]!(fields);
        stats.malformed++;
      }
      stats.rows++;
      yield fields.map(csvField).join(',');
    }
  }
}

const LINES_PER_BATCH = 2000;

/** Writes the export to `path`; resolves with the number of bytes written and what the rows hold. */
export async function generateCtiExport(path: string, options: CtiExportOptions): Promise<{ bytes: number } & CtiExportStats> {
  const encoding = options.encoding ?? 'cp949';
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  // observed through Promise.race below; this keeps an error between writes from being "unhandled"
  failed.catch(() => undefined);
  let bytes = 0;
  const stats: CtiExportStats = { rows: 0, malformed: 0 };
  let batch: string[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const text = `${batch.join('\r\n')}\r\n`;
    batch = [];
    const encoded = encoding === 'cp949' ? iconv.encode(text, 'cp949') : Buffer.from(text, 'utf8');
    bytes += encoded.length;
    if (!out.write(encoded)) await Promise.race([once(out, 'drain'), failed]);
  };
  try {
    for (const line of ctiLines(options, stats)) {
      batch.push(line);
      if (batch.length >= LINES_PER_BATCH) await flush();
    }
    await flush();
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } catch (error) {
    out.destroy();
    throw error;
  }
  return { bytes, ...stats };
}
