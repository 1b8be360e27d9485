/** The source columns a mapping names anywhere (fields, fallbacks, conditions, rules, legs), in order of appearance. */
export function columnsNamed(value: unknown, into: Set<string | number> = new Set()): Set<string | number> {
  if (Array.isArray(value)) for (const v of value) columnsNamed(v, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'column' || key === 'minus' || key === 'parent') && (typeof v === 'string' || typeof v === 'number')) into.add(v);
      else if (key === 'plus' && (typeof v === 'string' || typeof v === 'number')) into.add(v);
      else if (key === 'key' && (typeof v === 'string' || typeof v === 'number')) into.add(v);
      else if (key === 'columns' && Array.isArray(v)) for (const c of v) into.add(c as string | number);
      else columnsNamed(v, into);
    }
  }
  return into;
}

/** What of a mapped contacts source names columns. */
export const mappingParts = (source: { fields: unknown; outcome_rules?: unknown; legs?: unknown }) => ({
  fields: source.fields,
  rules: source.outcome_rules ?? [],
  legs: source.legs ?? null,
});
