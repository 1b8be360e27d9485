/** Reads one header of a raw RFC 5322 message (first occurrence, unfolded lines only: enough for our own ids). */
export function rawHeader(raw: Uint8Array, name: string): string | undefined {
  const text = new TextDecoder().decode(raw.subarray(0, Math.min(raw.byteLength, 16_384)));
  const head = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped}:[ \\t]*(.*)$`, 'im').exec(head);
  return match?.[1]?.trim();
}
