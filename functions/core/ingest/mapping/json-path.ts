/**
 * The field paths of JSON records (`mapped-json`), compiled once per source. A plain path (`state`,
 * `user.mobileNumber`, `managers[0].name`) names one value by position. Exports such as Genesys Cloud's
 * conversation details put what a contact needs in arrays whose order means nothing (participants, sessions,
 * metrics), so a path may also select array elements by what they hold and combine several values:
 *
 * - `[key=value]`, `[key!=value]`: the elements of an array whose `key` (a dotted path inside the element)
 *   is, or is not, `value` as text (`participants[purpose=customer]`, `metrics[name=tAnswered]`); the value may
 *   be quoted (`[name="a]b"]`). A key path that passes through arrays looks in every element, so
 *   `participants[sessions.metrics.name=tAnswered]` is the participant with a tAnswered metric in any session.
 *   Every matching element is selected, and the next steps apply to each.
 * - `[*]`: every element of an array.
 * - `[n]`, `[-n]`: the n-th element (0-based), or the n-th from the end; right after a selection, the n-th
 *   element *of the selection* (`participants[purpose=agent][-1]`: the last agent), else of each array.
 * - `sum(path)`, `min(path)`, `max(path)`, `count(path)`: one value of all the path selects (numbers, or
 *   text that is a number; `count` counts values). Without an aggregate a path gives its first value.
 *
 * A path that selects nothing gives no value, as an always-empty CSV column does. A plain path keeps its old
 * reading (a key that itself contains a dot is matched whole first), so existing mappings read the same.
 * Path syntax is checked when the source is compiled (`config check`), so a typo fails there, not per record.
 */
import { JsonNumber } from '../records/json-values.ts';
import { MappingConfigError } from './errors.ts';

/** A path that is not a path: thrown by compileJsonPath, reported as a config error naming the field. */
export class JsonPathSyntaxError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`field path ${JSON.stringify(path)}: ${reason}`);
    this.name = 'JsonPathSyntaxError';
  }
}

/** A record whose values an aggregate cannot combine (text in a `sum`): that record is rejected. */
export class JsonPathValueError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`field path ${path}: ${reason}`);
    this.name = 'JsonPathValueError';
  }
}

type Step =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; key: string[]; value: string; negate: boolean };

const AGGREGATES = ['sum', 'min', 'max', 'count'] as const;
type Aggregate = (typeof AGGREGATES)[number];

export type JsonPathReader = (record: unknown) => unknown;

// a JsonNumber (the records stage's lossless number) is a scalar, not an object with keys
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);

/** The value at a plain field path (`a.b`, `a[0].b`; a key containing a dot is matched whole first), or undefined. */
export function valueAt(record: unknown, path: string): unknown {
  if (path === '') return record;
  if (isObject(record) && Object.hasOwn(record, path)) return record[path];
  const index = /^\[(\d+)\]\.?/.exec(path);
  if (index !== null) return Array.isArray(record) ? valueAt(record[Number(index[1])], path.slice(index[0].length)) : undefined;
  const key = /^[^.[]+/.exec(path)?.[0];
  if (key === undefined || !isObject(record) || !Object.hasOwn(record, key)) return undefined;
  const rest = path.slice(key.length);
  return valueAt(record[key], rest.startsWith('.') ? rest.slice(1) : rest);
}

/** Text of a scalar for comparisons: what the records stage writes for it. */
const scalarText = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
    : v instanceof JsonNumber
      ? v.text
      : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint'
        ? String(v)
        : undefined;

const AGGREGATE_CALL = /^\s*([a-z]+)\s*\((.*)\)\s*$/s;

/** Whether a path uses anything beyond plain keys and non-negative indexes. */
const isPlain = (path: string): boolean => !/\[[^\]\d]/.test(path) && !AGGREGATE_CALL.test(path);

function parseSteps(path: string, text: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const fail = (reason: string): never => {
    throw new JsonPathSyntaxError(path, reason);
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '.') {
      if (i === 0 || text[i + 1] === undefined || text[i + 1] === '.' || text[i + 1] === '[') fail(`a "." at ${i + 1} needs a key after it`);
      i++;
      continue;
    }
    if (c === '[') {
      const end = closingBracket(text, i);
      if (end < 0) fail(`the "[" at ${i + 1} is never closed`);
      steps.push(bracket(path, text.slice(i + 1, end).trim()));
      i = end + 1;
      if (i < text.length && text[i] !== '.' && text[i] !== '[') fail(`expected "." or "[" after "]" at ${i}`);
      continue;
    }
    if (c === ']' || c === '(' || c === ')') fail(`unexpected "${c}" at ${i + 1}`);
    let j = i;
    while (j < text.length && !'.[]()'.includes(text[j]!)) j++;
    steps.push({ kind: 'key', key: text.slice(i, j) });
    i = j;
  }
  if (steps.length === 0) fail('is empty');
  return steps;
}

/** Index of the `]` closing the `[` at `open`, skipping quoted text. */
function closingBracket(text: string, open: number): number {
  let quote: string | null = null;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ']') return i;
  }
  return -1;
}

function bracket(path: string, inner: string): Step {
  if (inner === '*') return { kind: 'all' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const m = /^([^=!]+?)\s*(!=|=)\s*(.*)$/s.exec(inner);
  if (m === null) throw new JsonPathSyntaxError(path, `[${inner}] is not an index, [*] or [key=value]`);
  const key = m[1]!.trim();
  if (!/^[^.[\]()]+(\.[^.[\]()]+)*$/.test(key)) throw new JsonPathSyntaxError(path, `[${inner}]: "${key}" is not a key or a dotted path of keys`);
  let value = m[3]!.trim();
  const quoted = /^(["'])(.*)\1$/s.exec(value);
  if (quoted !== null) value = quoted[2]!;
  else if (/["']/.test(value)) throw new JsonPathSyntaxError(path, `[${inner}]: a quote must enclose the whole value`);
  return { kind: 'filter', key: key.split('.'), value, negate: m[2] === '!=' };
}

/** The values a predicate's key path reaches inside an element, looking into every element of an array on the way. */
function keyValues(element: unknown, keys: readonly string[]): unknown[] {
  let values: unknown[] = [element];
  for (const k of keys) {
    values = values.flatMap((v) => (Array.isArray(v) ? v : [v])).flatMap((v) => (isObject(v) && Object.hasOwn(v, k) ? [v[k]] : []));
  }
  return values.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

/** Every value the steps select from the record, in document order. */
function select(record: unknown, steps: readonly Step[]): unknown[] {
  let nodes: unknown[] = [record];
  let grouped = false; // the nodes are a selection (after a filter or [*]), not one value
  for (const step of steps) {
    switch (step.kind) {
      case 'key':
        nodes = nodes.flatMap((n) => (isObject(n) && Object.hasOwn(n, step.key) ? [n[step.key]] : []));
        grouped = false;
        break;
      case 'index': {
        const pick = (list: readonly unknown[]) => {
          const i = step.index < 0 ? list.length + step.index : step.index;
          return i >= 0 && i < list.length ? [list[i]] : [];
        };
        nodes = grouped ? pick(nodes) : nodes.flatMap((n) => (Array.isArray(n) ? pick(n) : []));
        grouped = false;
        break;
      }
      case 'all':
        if (!grouped) nodes = nodes.flatMap((n) => (Array.isArray(n) ? n : []));
        grouped = true;
        break;
      case 'filter': {
        const elements = grouped ? nodes : nodes.flatMap((n) => (Array.isArray(n) ? n : []));
        nodes = elements.filter((e) => keyValues(e, step.key).some((v) => scalarText(v) === step.value) !== step.negate);
        grouped = true;
        break;
      }
    }
  }
  return nodes.filter((n) => n !== undefined && n !== null);
}

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

function aggregate(path: string, kind: Aggregate, values: readonly unknown[]): unknown {
  if (kind === 'count') return values.length;
  if (values.length === 0) return undefined;
  const texts = values.map((v) => {
    const t = scalarText(v);
    if (t === undefined || typeof v === 'boolean' || !NUMBER.test(t)) throw new JsonPathValueError(path, `${kind} needs numbers, and a value is ${Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : 'not a number'}`);
    return t;
  });
  // whole numbers are combined exactly (BigInt), so a sum of millisecond counts loses no digit
  if (texts.every((t) => /^-?\d+$/.test(t))) {
    const ints = texts.map((t) => BigInt(t));
    if (kind === 'sum') return ints.reduce((a, b) => a + b, 0n).toString();
    return ints.reduce((a, b) => ((kind === 'min' ? b < a : b > a) ? b : a)).toString();
  }
  const nums = texts.map(Number);
  if (kind === 'sum') return nums.reduce((a, b) => a + b, 0);
  return kind === 'min' ? Math.min(...nums) : Math.max(...nums);
}

/** Compiles a field path (see the module comment); throws JsonPathSyntaxError for one that is not a path. */
export function compileJsonPath(path: string): JsonPathReader {
  if (isPlain(path)) return (record) => valueAt(record, path);
  const call = AGGREGATE_CALL.exec(path);
  if (call !== null) {
    const kind = call[1] as Aggregate;
    if (!(AGGREGATES as readonly string[]).includes(kind)) throw new JsonPathSyntaxError(path, `${call[1]}(…) is not one of ${AGGREGATES.join(', ')}`);
    const steps = parseSteps(path, call[2]!.trim());
    return (record) => aggregate(path, kind, select(record, steps));
  }
  const steps = parseSteps(path, path);
  return (record) => select(record, steps)[0];
}

/** The first canonical field whose mapping reads `path`, for messages; `(columns)` when none does directly. */
export function fieldReading(fields: Record<string, unknown>, path: string): string {
  return Object.entries(fields).find(([, m]) => JSON.stringify(m ?? null).includes(JSON.stringify(path)))?.[0] ?? '(columns)';
}

/**
 * The readers of a JSON source's field paths, in header order; a path that does not compile is a config error
 * naming the field that reads it.
 */
export function compileJsonPaths(sourceId: string, paths: readonly string[], fields: Record<string, unknown>): JsonPathReader[] {
  return paths.map((path) => {
    try {
      return compileJsonPath(path);
    } catch (error) {
      if (!(error instanceof JsonPathSyntaxError)) throw error;
      throw new MappingConfigError(sourceId, fieldReading(fields, path), error.message);
    }
  });
}
