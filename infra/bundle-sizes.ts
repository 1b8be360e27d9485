/**
 * Prints the size of every Lambda bundle in a cloud assembly (default cdk.out), so `npm run synth` shows
 * when a dependency makes a function heavy. Lambda's limit is 250 MB unzipped; cold starts grow well before.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/**
 * Lambda's limit for a function's deployment package unzipped, layers included
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export const LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;

export function bundleSizes(assemblyDir: string): { stack: string; path: string; main: number; total: number }[] {
  const rows: { stack: string; path: string; main: number; total: number }[] = [];
  for (const file of readdirSync(assemblyDir).filter((f) => f.endsWith('.template.json')).sort()) {
    const template = JSON.parse(readFileSync(join(assemblyDir, file), 'utf8')) as {
      Resources?: Record<string, { Type: string; Metadata?: Record<string, string> }>;
    };
    for (const resource of Object.values(template.Resources ?? {})) {
      const asset = resource.Metadata?.['aws:asset:path'];
      if (resource.Type !== 'AWS::Lambda::Function' || !asset) continue;
      const dir = join(assemblyDir, asset);
      const main = join(dir, 'index.mjs');
      if (!existsSync(main)) continue;
      rows.push({
        stack: file.replace('.template.json', ''),
        path: resource.Metadata?.['aws:cdk:path'] ?? asset,
        main: statSync(main).size,
        total: folderBytes(dir),
      });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'cdk.out';
  let over = 0;
  for (const row of bundleSizes(dir)) {
    const flag = row.total > LAMBDA_UNZIPPED_LIMIT_BYTES ? `   over Lambda's ${mb(LAMBDA_UNZIPPED_LIMIT_BYTES)} unzipped limit` : '';
    if (flag) over++;
    console.log(`${row.path.padEnd(52)} index.mjs ${mb(row.main).padStart(10)}   bundle ${mb(row.total).padStart(10)}${flag}`);
  }
  if (over > 0) process.exit(1);
}
