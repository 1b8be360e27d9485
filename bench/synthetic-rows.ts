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

/**
 * Expressions for every contacts column (tables.ts order), over a row number `i` and a local timestamp `lt`
 * (Seoul): six categories, three channels, one contact in twenty without a customer, 80 % answered.
 */
export const SYNTHETIC_CONTACTS: Readonly<Record<string, string>> = {
  contact_id: `'k' || i`,
  channel: `case when i % 10 < 6 then 'phone' when i % 10 < 9 then 'chat' else 'board' end`,
  direction: `case when hash(i, 1) % 50 = 0 then 'outbound' else 'inbound' end`,
  queue: `'q' || (i % 4)`,
  category: `(['배송', '교환', '환불', '주문', '회원', '기타'])[1 + (hash(i, 2) % 6)::bigint]`,
  subcategory: `null`,
  customer_key: `case when hash(i, 3) % 20 = 0 then null else 'c' || (hash(i, 4) % 250000) end`,
  agent_id: `'a' || (hash(i, 5) % 60)`,
  arrived_at: `lt - interval 9 hour`,
  answered_at: `null`,
  ended_at: `null`,
  ivr_seconds: `(hash(i, 6) % 30)::double`,
  wait_seconds: `(hash(i, 7) % 90)::double`,
  talk_seconds: `(60 + hash(i, 8) % 500)::double`,
  hold_seconds: `(hash(i, 9) % 30)::double`,
  acw_seconds: `(hash(i, 10) % 60)::double`,
  handle_seconds: `null`,
  outcome: `case when hash(i, 11) % 100 < 80 then 'answered' when hash(i, 11) % 100 < 92 then 'abandoned'
              when hash(i, 11) % 100 < 95 then 'callback_requested' when hash(i, 11) % 100 < 98 then 'self_service' else 'excluded' end`,
  is_transferred: `hash(i, 12) % 20 = 0`,
  is_resolved: `null`,
  local_hour: `hour(lt)::integer`,
  source: `'cti'`,
  source_file: `'bench.csv'`,
  ingested_at: `timestamptz '2026-01-01 00:00:00+00'`,
  updated_at: `null::timestamp`,
  delivered_at: `timestamp '2026-01-01 00:00:00'`,
  wait_min_seconds: `null::double`,
  wait_max_seconds: `null::double`,
};
