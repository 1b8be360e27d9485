/**
 * Failures of the machine rather than of the input: a full disk (ENOSPC, EDQUOT), a read-only file system
 * (EROFS), a path the process may not write (EACCES, EPERM), and the engine's own words for them (DuckDB
 * reports "No space left on device" in its message, not as a code). The lake stays consistent through them
 * (ingest publishes in an order a failure at any step leaves readable); what the operator needs is one line
 * saying what failed where, not a stack trace, and a run on AWS should not retry what will fail the same way.
 *
 * Permanent failures: the same input fails the same way on every retry, so on AWS the message goes to the
 * dead-letter queue at once (handlers/ingest.ts) instead of blocking its FIFO group for five retries:
 * the infrastructure failures above, and the JavaScript engine's own limits (RangeError: a call stack or a
 * string past its maximum, an allocation that failed), which no retry of the same file can pass.
 */

const CODES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

const MESSAGES: [RegExp, string][] = [
  [/no space left on device/i, 'ENOSPC'],
  [/disk quota exceeded/i, 'EDQUOT'],
  [/read-only file system/i, 'EROFS'],
  [/permission denied/i, 'EACCES'],
];

function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && out.length < 8; e = (e as { cause?: unknown }).cause) out.push(e);
  return out;
}

/** One line describing an infrastructure failure in the error or its causes, or undefined for any other error. */
export function describeInfrastructureError(error: unknown): string | undefined {
  for (const e of chain(error)) {
    const { code, path, syscall, message } = e as { code?: unknown; path?: unknown; syscall?: unknown; message?: unknown };
    const byCode = typeof code === 'string' ? code : MESSAGES.find(([pattern]) => typeof message === 'string' && pattern.test(message))?.[1];
    if (byCode === undefined || CODES[byCode] === undefined) continue;
    const where = typeof path === 'string' ? ` (${typeof syscall === 'string' ? `${syscall} ` : ''}${path})` : '';
    return `${CODES[byCode]}${where} [${byCode}]`;
  }
  return undefined;
}

/** Why retrying the same message cannot help, or undefined when it might. */
export function permanentFailure(error: unknown): string | undefined {
  const infrastructure = describeInfrastructureError(error);
  if (infrastructure !== undefined) return infrastructure;
  const range = chain(error).find((e) => e instanceof RangeError) as RangeError | undefined;
  return range === undefined ? undefined : `the JavaScript engine's limit: ${range.message.split('\n')[0]!.slice(0, 200)}`;
}
