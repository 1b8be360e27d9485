/**
 * Bidirectional-text controls taken out of everything a report shows. An export's text can carry them: a
 * category ending in an unterminated U+202E (RIGHT-TO-LEFT OVERRIDE) reverses every character after it to the
 * end of the paragraph, so in the text/plain part "배송 15 (40.0%)" would show its figures backwards. The
 * controls are the embeddings and overrides (U+202A–U+202E), the isolates (U+2066–U+2069) and the marks
 * (U+200E, U+200F, U+061C) of Unicode's bidirectional algorithm (UAX #9, §2); none is ever needed to show a
 * category, a queue or a comment, and our own texts use none. Right-to-left letters keep their natural order.
 *
 * Applied where export text leaves the report model: HTML escaping (escape.ts), the text/plain part (text.ts)
 * and the XLSX attachment's cells (xlsx-workbook.ts). The CSV holds no export text.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export const stripBidiControls = (text: string): string => text.replace(BIDI_CONTROLS, '');
