/**
 * The select list of a synthetic lake table, one SQL expression per column of the table as tables.ts defines it.
 * The KPI and report benchmarks write their lakes with DuckDB directly (their subject is the reading, not ingest);
 * a column added to the table without an expression here would otherwise surface as a bare `undefined` in SQL.
 */
export function columnsSelect(table: { name: string; columns: readonly { name: string }[] }, exprs: Readonly<Record<string, string>>): string {
  const missing = table.columns.filter((col) => exprs[col.name] === undefined).map((col) => col.name);
  if (missing.length > 0) throw new Error(`no benchmark expression for the ${table.name} columns ${missing.join(', ')}`);
  return table.columns.map((col) => `${exprs[col.name]} as ${col.name}`).join(', ');
}
