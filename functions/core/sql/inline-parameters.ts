/**
 * A parameterized query with its `?` execution parameters written in as literals, for a person to run by hand
 * where parameters cannot be given (a SQL client, a console tab without the parameter dialog). Only the `?` that
 * are parameters are replaced: a `?` inside a string literal, a quoted identifier or a comment is text.
 */
import { SqlTemplateError } from './errors.ts';

/** The offsets of the parameter marks of a statement, in order. */
export function parameterOffsets(sql: string): number[] {
  const offsets: number[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "'" || ch === '"') {
      // a doubled quote inside is the quote itself
      i += 1;
      while (i < sql.length && !(sql[i] === ch && sql[i + 1] !== ch)) i += sql[i] === ch ? 2 : 1;
      i += 1;
    } else if (ch === '-' && next === '-') {
      while (i < sql.length && sql[i] !== '\n') i += 1;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else {
      if (ch === '?') offsets.push(i);
      i += 1;
    }
  }
  return offsets;
}

/**
 * Replaces each parameter mark with the literal text of its value, in order.
 * @throws SqlTemplateError when the marks and the literals differ in number
 */
export function inlineParameters(sql: string, literals: readonly string[]): string {
  const offsets = parameterOffsets(sql);
  if (offsets.length !== literals.length) {
    throw new SqlTemplateError(`the query has ${offsets.length} parameter marks but ${literals.length} values were given`);
  }
  let out = '';
  let from = 0;
  offsets.forEach((offset, n) => {
    out += sql.slice(from, offset) + literals[n]!;
    from = offset + 1;
  });
  return out + sql.slice(from);
}
