/**
 * How long a text from a config or an export may be where the report shows it. Exports are bounded at ingest
 * (tables.ts TEXT_LENGTH_LIMITS); the report cuts again for rows written before those limits, and shortens
 * labels further where a phone screen needs it.
 */

/** names from the client's config shown in the report (client name, target labels) are cut to this many characters */
export const MAX_LABEL_CHARS = 80;
/**
 * Category and queue labels in the e-mail (HTML and text) are shortened to this many characters, the last an
 * ellipsis, so a long one does not push the table's numbers off a phone screen. The XLSX keeps the full value.
 */
export const MAX_DISPLAY_LABEL_CHARS = 60;
export const MAX_COMMENT_CHARS = 300;

export const cut = (text: string, max: number): string => {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
};
