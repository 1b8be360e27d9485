/** Which day a pull collects, which URL it asks and where the file lands in the raw store. */
import { lakeKeys } from '../ingest/manifest.ts';

/** The local date before `now` in the zone: a pull at 03:00 collects the day that just ended. */
export function previousLocalDate(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const localMidnightAsUtc = Date.UTC(get('year'), get('month') - 1, get('day'));
  return new Date(localMidnightAsUtc - 86_400_000).toISOString().slice(0, 10);
}

export function exportUrl(template: string, date: string): string {
  return template.replaceAll('{date}', encodeURIComponent(date));
}

const SAFE_NAME = /[^\p{L}\p{N}._-]+/gu;

/**
 * The file's own name: from Content-Disposition when the server sends one, else the last path segment of the
 * URL, else `export`. Reduced to characters that need no escaping in S3 keys or event notifications.
 */
export function exportFileName(url: string, contentDisposition: string | null): string {
  let name: string | undefined;
  const star = contentDisposition?.match(/filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i);
  const plain = contentDisposition?.match(/filename\s*=\s*"?([^";]+)"?/i);
  try {
    if (star?.[1]) name = decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
  } catch {
    name = undefined;
  }
  name ??= plain?.[1]?.trim();
  if (!name) {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    name = last ? decodeURIComponent(last) : undefined;
  }
  const safe = (name?.split(/[\\/]/).pop() ?? '').replace(SAFE_NAME, '_').replace(/^\.+/, '');
  return safe.length > 0 ? safe.slice(0, 120) : 'export';
}

/** `client_id=<id>/<source>/<date>-<name>`: the date prefix keeps one day's pull from overwriting another's. */
export function rawExportKey(clientId: string, sourceId: string, date: string, fileName: string): string {
  return `${lakeKeys.rawPrefix(clientId, sourceId)}${date}-${fileName}`;
}
