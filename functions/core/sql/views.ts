/**
 * The analyst views of `sql/views/`, as CREATE OR REPLACE VIEW statements both engines accept. The CDK data
 * stack runs the same files on Athena; the local engine creates them for `cspulse query`.
 */
import { readSqlFile, SQL_DIR, VIEW_SQL_NAMES } from './sql-catalog.ts';

export async function createViewsSql(dir: string = SQL_DIR): Promise<string[]> {
  return Promise.all(VIEW_SQL_NAMES.map((name) => readSqlFile(name, dir)));
}
