/**
 * Builds the whole CDK app from a folder of client configs. `infra/app.ts` calls it with the real folder;
 * tests call it with their own folders and handler entries.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Annotations, App, Validations, type Environment } from 'aws-cdk-lib';
import { CsPulseChecks } from './nag.ts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import type { ClientConfig } from '../functions/core/config/client-config.ts';
import { CONFIG_FILE, loadClientConfigs } from '../functions/core/config/load-configs.ts';
import { analystViews } from '../functions/core/sql/views.ts';
import { DEFAULT_SENDER } from '../functions/core/config/sender.ts';
import { REPO_ROOT } from './constructs/cspulse-function.ts';
import { DeployConfigError } from './errors.ts';
import { ClientStack, clientStackName, REPORT_CONCURRENCY_CONTEXT, type HandlerEntries } from './stacks/client-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { KeyStack, keyStackName } from './stacks/key-stack.ts';

export const DATA_STACK_NAME = 'CsPulse-Data';
export const CROSS_STACK_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';
/**
 * Context key of the region every stack is deployed to, set in cdk.json (`ap-northeast-2`, Seoul) or with
 * `-c cspulse:region=<region>`. The stacks do not take the region from `CDK_DEFAULT_REGION`: the CDK CLI always
 * sets that variable, to `us-east-1` when neither the environment nor the profile names a region ("Unable to
 * determine AWS region …, defaulting to 'us-east-1'", https://github.com/aws/aws-cdk/issues/32130), so a
 * fallback in code never applied and a deployment could land in another region without a word. SES
 * identities, the sandbox and production access are per region, so the region is always explicit.
 */
export const REGION_CONTEXT = 'cspulse:region';
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/** The deployment region from the app's context, or a DeployConfigError saying where to set it. */
export function deployRegion(app: App): string {
  const raw: unknown = app.node.tryGetContext(REGION_CONTEXT);
  if (raw === undefined || raw === null || raw === '') {
    throw new DeployConfigError(
      `no deployment region: set "${REGION_CONTEXT}" in cdk.json's context or pass -c ${REGION_CONTEXT}=<region> ` +
        "(CDK_DEFAULT_REGION and --region are not used: the CDK CLI sets CDK_DEFAULT_REGION to us-east-1 when it finds no region)",
      'cdk.json',
    );
  }
  if (typeof raw !== 'string' || !REGION_PATTERN.test(raw)) {
    throw new DeployConfigError(`context ${REGION_CONTEXT} must be an AWS region such as ap-northeast-2, not ${JSON.stringify(raw)}`, 'cdk.json');
  }
  return raw;
}

/** The handler modules of this repository; a module not written yet is left out of the stacks. */
export const REPO_HANDLER_ENTRIES: Required<HandlerEntries> = {
  collector: join(REPO_ROOT, 'functions/handlers/collector.ts'),
  ingest: join(REPO_ROOT, 'functions/handlers/ingest.ts'),
  report: join(REPO_ROOT, 'functions/handlers/report.ts'),
  live: join(REPO_ROOT, 'functions/handlers/live.ts'),
};

export interface BuildAppOptions {
  configDir: string;
  env: Environment;
  entries?: HandlerEntries;
  sqlDir?: string;
  defaultSender?: string;
  /** run the AwsSolutions checks at synth (default true) */
  nag?: boolean;
  app?: App;
}

export interface BuiltApp {
  app: App;
  data: DataStack;
  clients: Map<string, ClientStack>;
  keys: Map<string, KeyStack>;
  configs: ClientConfig[];
}

/** `-c cspulse:reportReservedConcurrency=N`: a whole number from 1, or unset for none. */
function reportConcurrency(app: App): number | undefined {
  const raw: unknown = app.node.tryGetContext(REPORT_CONCURRENCY_CONTEXT);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new DeployConfigError(`context ${REPORT_CONCURRENCY_CONTEXT} must be a whole number from 1, not ${JSON.stringify(raw)}`, 'cdk.json');
  }
  return n;
}

/**
 * The compact JSON put into CSPULSE_CLIENT_CONFIG: the file as written (validated already), not the parsed
 * output with every default filled in, which is larger; the handler fills the same defaults with the same
 * schema at cold start.
 */
export async function compactConfigJson(configDir: string): Promise<Map<string, { file: string; json: string }>> {
  const out = new Map<string, { file: string; json: string }>();
  for (const file of (await readdir(configDir)).filter((f) => CONFIG_FILE.test(f)).sort()) {
    const path = join(configDir, file);
    const text = await readFile(path, 'utf8');
    const raw: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    const id = file.replace(CONFIG_FILE, '');
    out.set(id, { file: path, json: JSON.stringify(raw) });
  }
  return out;
}

export async function buildApp(options: BuildAppOptions): Promise<BuiltApp> {
  if (options.defaultSender !== undefined && !z.email().safeParse(options.defaultSender).success) {
    throw new DeployConfigError(`CSPULSE_DEFAULT_SENDER must be an e-mail address, not ${JSON.stringify(options.defaultSender)}`, 'CSPULSE_DEFAULT_SENDER');
  }
  // Throws one ConfigError naming every bad file and field before any construct exists.
  const configs = await loadClientConfigs(options.configDir);
  const texts = await compactConfigJson(options.configDir);
  // Strong references: CloudFormation refuses to remove a data-stack export while a client stack uses it,
  // so a bucket cannot be swapped out from under a deployed client.
  const app = options.app ?? new App({ context: { [CROSS_STACK_REFERENCES]: 'strong' } });
  const entries: HandlerEntries = {};
  for (const [name, path] of Object.entries(options.entries ?? REPO_HANDLER_ENTRIES) as [keyof HandlerEntries, string][]) {
    if (path && existsSync(path)) entries[name] = path;
  }
  const sqlDir = options.sqlDir ?? join(REPO_ROOT, 'sql');
  const data = new DataStack(app, DATA_STACK_NAME, {
    env: options.env,
    description: 'cspulse shared data: buckets, Glue catalog and analyst views, analyst workgroup, alarm topic',
    sqlDir,
    views: await analystViews(configs, sqlDir),
    terminationProtection: true,
  });
  const clients = new Map<string, ClientStack>();
  const keys = new Map<string, KeyStack>();
  const reportReservedConcurrency = reportConcurrency(app);
  for (const config of configs) {
    const text = texts.get(config.id)!;
    const key = new KeyStack(app, keyStackName(config.id), {
      env: options.env,
      description: `cspulse client ${config.id}: customer-key secret (kept when the client stack is destroyed)`,
      clientId: config.id,
    });
    keys.set(config.id, key);
    const stack = new ClientStack(app, clientStackName(config.id), {
      env: options.env,
      description: `cspulse client ${config.id} (${config.name})`,
      config,
      configFile: text.file,
      configJson: text.json,
      data,
      entries,
      defaultSender: options.defaultSender ?? DEFAULT_SENDER,
      piiKey: key.piiKey,
      ...(reportReservedConcurrency === undefined ? {} : { reportReservedConcurrency }),
    });
    for (const name of ['collector', 'ingest', 'report', 'live'] as const) {
      if (!entries[name]) {
        Annotations.of(stack).addWarningV2(
          `cspulse:missing-${name}`,
          `functions/handlers/${name}.ts does not exist yet: the ${name} function is not part of this stack`,
        );
      }
    }
    clients.set(config.id, stack);
  }
  if (options.nag ?? true) Validations.of(app).addPlugins(new CsPulseChecks(app));
  return { app, data, clients, keys, configs };
}
