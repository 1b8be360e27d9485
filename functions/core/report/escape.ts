import { stripBidiControls } from './bidi.ts';

/**
 * Escapes text for HTML element content and quoted attribute values. Every string from an export passes here;
 * bidi controls are dropped on the way (bidi.ts).
 */
export function escapeHtml(text: string): string {
  return stripBidiControls(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
