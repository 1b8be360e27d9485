/**
 * User-supplied regular expressions that run in JavaScript run in RE2 (re2js, a pure-JavaScript port of RE2),
 * like the mapping's, which DuckDB runs with RE2: matching takes time linear in the input whatever the
 * pattern, so `^(a+)+$` against a 34-character file name takes microseconds instead of minutes in a
 * backtracking engine. re2js rather than the `re2` bindings: those need a native build or a prebuilt binary
 * downloaded at install time, and the Lambda bundle is plain JavaScript. RE2's syntax has no lookaround or
 * backreferences; a pattern that uses them is refused by `config check` with RE2's own message.
 */
import { RE2JS } from 're2js';

/** RE2's objection to a pattern, or undefined when it compiles. */
export function re2Problem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The first match as RegExp.prototype.exec gives it: the whole match, then each capture group (undefined for a
 * group that took no part), or null when the pattern does not match.
 */
export function re2Exec(pattern: string, text: string): (string | undefined)[] | null {
  const compiled = RE2JS.compile(pattern);
  const matcher = compiled.matcher(text);
  if (!matcher.find()) return null;
  return Array.from({ length: compiled.groupCount() + 1 }, (_, i) => matcher.group(i) ?? undefined);
}

/** How many capture groups the pattern has. */
export const re2GroupCount = (pattern: string): number => RE2JS.compile(pattern).groupCount();
