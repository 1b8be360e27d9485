import { createHash } from 'node:crypto';
/**
 * The app as `npm run synth` builds it: the real client configs under clients/ and the real handler modules
 * that exist, bundled by esbuild. Plus the checks that stop a config before anything is synthesized.
 */
import { decodeConfigEnv, encodeConfigEnv } from '../../functions/core/config/config-env.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadClientConfigs } from '../../functions/core/config/load-configs.ts';
import { parseClientConfig } from '../../functions/core/config/parse-config.ts';
import { RUNTIME_ENV } from '../../functions/core/runtime-env.ts';
import { buildApp, deployRegion, REGION_CONTEXT, REPO_HANDLER_ENTRIES, type BuiltApp } from '../../infra/build-app.ts';
import { REPO_ROOT } from '../../infra/constructs/cspulse-function.ts';
import { CsPulseChecks } from '../../infra/nag.ts';
import { checkDeployable, MAX_CONFIG_ENV_BYTES } from '../../infra/stacks/client-stack.ts';
import { ALPHA_YAML, writeConfigs } from './fixtures/configs.ts';

const realEntries = Object.entries(REPO_HANDLER_ENTRIES).filter(([, path]) => existsSync(path));
const missingEntries = Object.entries(REPO_HANDLER_ENTRIES).filter(([, path]) => !existsSync(path));

let built: BuiltApp;
let outdir: string;

/** The asset folder of the ingest function: the one bundle with DuckDB beside index.mjs. */
function ingestBundle(): string {
  const dirs = readdirSync(outdir).filter((d) => existsSync(join(outdir, d, 'node_modules/@duckdb/node-api/package.json')));
  // every client's ingest bundle is the same asset
  expect(dirs).toHaveLength(1);
  return join(outdir, dirs[0]!);
}

beforeAll(async () => {
  for (const [name] of missingEntries) {
    console.warn(`functions/handlers/${name}.ts does not exist yet: its function is left out and its bundle is not checked`);
  }
  built = await buildApp({
    configDir: join(REPO_ROOT, 'clients'),
    env: { account: '123456789012', region: 'ap-northeast-2' },
    nag: false,
  });
  outdir = built.app.synth().directory;
});
afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

describe('the app from clients/', () => {
  it('has the data stack and a client stack and a key stack per client config', async () => {
    const ids = (await loadClientConfigs(join(REPO_ROOT, 'clients'))).map((c) => c.id);
    expect(built.app.node.children.filter((c) => c instanceof Stack).map((c) => c.node.id).sort()).toEqual(
      ['CsPulse-Data', ...ids.flatMap((id) => [`CsPulse-Client-${id}`, `CsPulse-Key-${id}`])].sort(),
    );
  });

  it('passes the AwsSolutions checks with no unacknowledged finding', () => {
    const report = new CsPulseChecks().validateScope(built.app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('gives every function the same environment names, with the config as compact JSON', () => {
    for (const stack of built.clients.values()) {
      const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
      for (const fn of Object.values(functions) as { Properties: { Environment: { Variables: Record<string, unknown> } } }[]) {
        const vars = fn.Properties.Environment.Variables;
        for (const name of [
          RUNTIME_ENV.clientConfig,
          RUNTIME_ENV.rawBucket,
          RUNTIME_ENV.lakeBucket,
          RUNTIME_ENV.quarantineBucket,
          RUNTIME_ENV.athenaWorkgroup,
          RUNTIME_ENV.glueDatabase,
          RUNTIME_ENV.piiKeySecret,
          RUNTIME_ENV.sesConfigurationSet,
        ]) {
          expect(vars[name], name).toBeDefined();
        }
        const config = JSON.parse(decodeConfigEnv(vars[RUNTIME_ENV.clientConfig] as string)) as { id: string };
        expect(`CsPulse-Client-${config.id}`).toBe(stack.stackName);
        expect(vars[RUNTIME_ENV.piiKeySecret]).toBe(`cspulse/${config.id}/pii-key`);
      }
    }
  });

  it.skipIf(realEntries.length === 0)('bundles each existing handler, DuckDB only into ingest, with the files it needs', () => {
    const bundles = readdirSync(outdir).filter((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.mjs')));
    expect(bundles.length).toBeGreaterThan(0);
    for (const dir of bundles) {
      const code = readFileSync(join(outdir, dir, 'index.mjs'), 'utf8');
      // DuckDB is never inlined by esbuild; only the ingest bundle carries it, as packages beside index.mjs
      if (!existsSync(join(outdir, dir, 'node_modules/@duckdb'))) expect(code, dir).not.toContain('@duckdb/node-api');
      expect(statSync(join(outdir, dir, 'index.mjs')).size).toBeLessThan(50 * 1024 * 1024);
      // esbuild resolved every import into the bundle or the copied packages: no .ts import survives
      expect(code).not.toMatch(/from\s*["'][^"']+\.ts["']/);
      // no source map to load at init (it cost 2 s and 286 MB in the report bundle); names survive minifying
      expect(existsSync(join(outdir, dir, 'index.mjs.map')), dir).toBe(false);
      expect(code, dir).toMatch(/"create(Ingest|Report|Collector)Handler"/);
    }
    for (const stack of built.clients.values()) {
      for (const fn of Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as { Properties: { Environment: { Variables: Record<string, unknown> } } }[]) {
        expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
      }
    }
    for (const stack of built.clients.values()) {
      if (existsSync(REPO_HANDLER_ENTRIES.ingest)) expect(stack.ingest, `${stack.stackName} ingest`).toBeDefined();
      if (existsSync(REPO_HANDLER_ENTRIES.report)) expect(stack.report, `${stack.stackName} report`).toBeDefined();
    }
  });

  it.skipIf(realEntries.length === 0)('each bundle loads in a bare Node process and exports handler', () => {
    const bundles = readdirSync(outdir).filter((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.mjs')));
    for (const dir of bundles) {
      // run from the bundle folder, with no access to the repository's node_modules: what Lambda has
      const out = execFileSync(
        process.execPath,
        ['--input-type=module', '-e', "const m = await import('./index.mjs'); process.stdout.write(typeof m.handler)"],
        { cwd: join(outdir, dir), env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 60_000 },
      );
      expect(out, dir).toBe('function');
    }
  });

  it.skipIf(!existsSync(REPO_HANDLER_ENTRIES.ingest))(
    'runs a DuckDB query through the native binding the ingest bundle carries, in a bare Node process',
    () => {
      const ingest = ingestBundle();
      // what Lambda has: the bundle folder, no repository node_modules around it, no HOME
      const out = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          [
            "const { DuckDBInstance } = await import('@duckdb/node-api');",
            "const instance = await DuckDBInstance.create(':memory:');",
            'const connection = await instance.connect();',
            "const reader = await connection.runAndReadAll(\"select 6 * 7 as answer, version() as version, count(*) as n from range(1000)\");",
            'const [row] = reader.getRowObjectsJson();',
            'process.stdout.write(JSON.stringify(row));',
          ].join('\n'),
        ],
        { cwd: ingest, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 60_000 },
      );
      const row = JSON.parse(out) as { answer: number; version: string; n: number | string };
      // 6 × 7 = 42; range(1000) has 1000 rows; the version is the binding's own (package 1.5.5-r.5)
      expect(row.answer).toBe(42);
      expect(Number(row.n)).toBe(1000);
      expect(row.version).toBe('v1.5.5');
    },
  );

  it.skipIf(!existsSync(REPO_HANDLER_ENTRIES.ingest))(
    "carries a DuckDB binding for Lambda's x86_64 Amazon Linux 2023 (glibc 2.34)",
    () => {
      const native = join(ingestBundle(), 'node_modules/@duckdb/node-bindings-linux-x64');
      expect(readdirSync(native).filter((f) => /\.(node|so)$/.test(f)).sort()).toEqual(['duckdb.node', 'libduckdb.so']);
      for (const file of ['duckdb.node', 'libduckdb.so']) {
        const bytes = readFileSync(join(native, file));
        // ELF, 64-bit, machine x86-64 (e_machine 0x3e at offset 18)
        expect([...bytes.subarray(0, 5)]).toEqual([0x7f, 0x45, 0x4c, 0x46, 2]);
        expect(bytes.readUInt16LE(18)).toBe(0x3e);
        // every glibc symbol version it needs exists in the runtime's glibc 2.34
        const needed = [...new Set(bytes.toString('latin1').match(/GLIBC_2\.[0-9]+/g) ?? [])].map((v) => Number(v.split('.')[1]));
        expect(needed.length).toBeGreaterThan(0);
        expect(Math.max(...needed), file).toBeLessThanOrEqual(34);
      }
    },
  );

  it.skipIf(!existsSync(REPO_HANDLER_ENTRIES.report))(
    'puts the SQL files, the chart fonts and the native chart renderer into the report bundle',
    () => {
      const report = readdirSync(outdir).find((d) => existsSync(join(outdir, d, 'node_modules', 'pretendard')));
      expect(report).toBeDefined();
      const dir = join(outdir, report!);
      const sqlFiles = readdirSync(join(REPO_ROOT, 'sql', 'kpis')).filter((f) => f.endsWith('.sql'));
      expect(readdirSync(join(dir, 'sql', 'kpis')).sort()).toEqual(sqlFiles.sort());
      expect(readdirSync(join(dir, 'node_modules/pretendard/dist/public/static/alternative')).sort()).toEqual([
        'Pretendard-Regular.ttf',
        'Pretendard-SemiBold.ttf',
      ]);
      expect(existsSync(join(dir, 'node_modules/pretendard/package.json'))).toBe(true);
      // x86_64 functions carry the linux-x64-gnu build of resvg
      const native = readdirSync(join(dir, 'node_modules/@resvg/resvg-js-linux-x64-gnu')).filter((f) => f.endsWith('.node'));
      expect(native).toEqual(['resvgjs.linux-x64-gnu.node']);
      expect(existsSync(join(dir, 'node_modules/@resvg/resvg-js/index.js'))).toBe(true);
    },
  );
});

describe('configs that must not deploy', () => {
  const alpha = () => parseClientConfig(ALPHA_YAML, 'clients/alpha.yaml');

  it("refuses a collector secret outside the client's own secret prefix", () => {
    const config = alpha();
    config.sources[0]!.pull!.secret_name = 'cspulse/beta/cti';
    expect(() => checkDeployable(config, 'clients/alpha.yaml', '{}')).toThrow(
      'clients/alpha.yaml: sources.cti.pull.secret_name must start with "cspulse/alpha/"',
    );
  });

  it('refuses a pull URL without TLS', () => {
    const config = alpha();
    config.sources[1]!.pull!.url = 'http://chat.alpha.example/{date}.csv';
    expect(() => checkDeployable(config, 'clients/alpha.yaml', '{}')).toThrow(
      'clients/alpha.yaml: sources.chat.pull.url must use https',
    );
  });

  it('refuses a config too large for the Lambda environment once compressed, naming the file', () => {
    // text that does not compress (base64 of hashes): its compressed form is about as long as itself
    const noise = (n: number) => {
      let out = '';
      for (let i = 0; out.length < n; i++) out += createHash('sha256').update(String(i)).digest('base64').slice(0, 43);
      return out.slice(0, n);
    };
    const big = JSON.stringify({ note: noise(3_600) });
    const bytes = Buffer.byteLength(encodeConfigEnv(big));
    expect(bytes).toBeGreaterThan(MAX_CONFIG_ENV_BYTES);
    expect(() => checkDeployable(alpha(), 'clients/alpha.yaml', big)).toThrow(`clients/alpha.yaml: the config is ${bytes} bytes as compressed JSON`);
    expect(() => checkDeployable(alpha(), 'clients/alpha.yaml', JSON.stringify({ note: noise(2_000) }))).not.toThrow();
    // a config of ordinary text travels in a fraction of its size: 9,000 bytes of YAML-like JSON fit
    expect(() => checkDeployable(alpha(), 'clients/alpha.yaml', JSON.stringify({ note: '서비스 레벨 80/20, '.repeat(400) }))).not.toThrow();
  });

  it('fails before synthesis with the file and the field of an invalid config', async () => {
    const dir = await writeConfigs({ 'alpha.yaml': ALPHA_YAML.replace('Asia/Seoul', 'Asia/Nowhere') });
    try {
      await expect(buildApp({ configDir: dir, env: { account: '123456789012', region: 'ap-northeast-2' } })).rejects.toThrow(
        /alpha\.yaml: invalid client config\n {2}timezone: must be an IANA time zone/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the deployment region', () => {
  it("is cdk.json's cspulse:region, Seoul", () => {
    const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
    expect(cdkJson.context[REGION_CONTEXT]).toBe('ap-northeast-2');
    expect(deployRegion(new App({ context: { [REGION_CONTEXT]: 'ap-northeast-2' } }))).toBe('ap-northeast-2');
  });

  it('is never taken from CDK_DEFAULT_REGION, which the CDK CLI sets to us-east-1 when it finds none', () => {
    const saved = process.env.CDK_DEFAULT_REGION;
    process.env.CDK_DEFAULT_REGION = 'us-east-1';
    try {
      expect(() => deployRegion(new App())).toThrow(
        'no deployment region: set "cspulse:region" in cdk.json\'s context or pass -c cspulse:region=<region> (CDK_DEFAULT_REGION and --region are not used',
      );
    } finally {
      if (saved === undefined) delete process.env.CDK_DEFAULT_REGION;
      else process.env.CDK_DEFAULT_REGION = saved;
    }
    expect(() => deployRegion(new App({ context: { [REGION_CONTEXT]: 'seoul' } }))).toThrow(
      'context cspulse:region must be an AWS region such as ap-northeast-2, not "seoul"',
    );
  });
});
