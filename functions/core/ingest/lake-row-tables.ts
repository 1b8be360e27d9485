/**
 * The side tables the lake-row SQL joins (assembly-sql.ts lakeTableSql), made in the workspace from a staged
 * relation's accepted rows: `customer_norms`, each customer spelling the engine cannot key itself normalized
 * once by normalizeCustomer; `comment_masks`, each survey comment that holds a phone number or an e-mail
 * address masked once (privacy/mask.ts; the raw text stays in the raw bucket only); `hmac_pads`, the customer-key
 * secret's HMAC pads. One file's assembly (ingest-file.ts) and a batch's (ingest-batch.ts) make them alike, so a
 * batch writes the lake one-by-one ingestion would.
 */
import type { ClientConfig, SourceConfig } from '../config/client-config.ts';
import type { SqlWorkspace } from '../ports.ts';
import { maskContactDetails } from '../privacy/mask.ts';
import { TEXT_LENGTH_LIMITS, type LakeTableName } from '../tables.ts';
import { customerKeyScope, normalizeCustomer } from './customer-key.ts';
import { hmacPads } from './mapping/customer-key-sql.ts';

/** Which of the optional tables were made (none is made when no row needs it), for lakeTableSql's joins. */
export interface LakeRowJoins {
  joinNorms: boolean;
  joinCommentMasks: boolean;
}

export async function createLakeRowTables(
  ws: SqlWorkspace,
  staged: string,
  table: LakeTableName,
  config: ClientConfig,
  source: SourceConfig,
  customerKeySecret: string,
): Promise<LakeRowJoins> {
  let joinNorms = false;
  if (table === 'contacts') {
    const scope = customerKeyScope(config, source);
    const rows = await ws.query(
      `SELECT DISTINCT customer_raw AS raw FROM ${staged} WHERE __field IS NULL AND customer_raw IS NOT NULL AND customer_shortcut IS NULL`,
    );
    if (rows.length > 0) {
      await ws.run(`CREATE TABLE customer_norms (raw VARCHAR, norm VARCHAR)`);
      await ws.appendText('customer_norms', rows.map((r) => [String(r.raw), normalizeCustomer(String(r.raw), scope)]));
      joinNorms = true;
    }
  }
  let joinCommentMasks = false;
  if (table === 'surveys') {
    const comments = await ws.query(`SELECT DISTINCT comment FROM ${staged} WHERE __field IS NULL AND comment IS NOT NULL`);
    const masked = comments
      .map((r) => [String(r.comment), maskContactDetails(String(r.comment)).slice(0, TEXT_LENGTH_LIMITS.comment)])
      .filter(([raw, m]) => raw !== m);
    if (masked.length > 0) {
      await ws.run(`CREATE TABLE comment_masks (raw VARCHAR, masked VARCHAR)`);
      await ws.appendText('comment_masks', masked);
      joinCommentMasks = true;
    }
  }
  const pads = hmacPads(customerKeySecret);
  await ws.run(`CREATE TABLE hmac_pads AS SELECT ?::BLOB AS outer_pad, ?::BLOB AS inner_pad`, [pads.outer, pads.inner]);
  return { joinNorms, joinCommentMasks };
}
