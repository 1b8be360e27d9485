/**
 * Every cspulse Lambda: Node.js 22 on x86_64, bundled locally with esbuild (no Docker), ESM output, its own
 * log group and its own role without managed policies, so each function holds exactly the statements its
 * client stack adds.
 *
 * Architecture: x86_64, because the only native module a bundle carries (@resvg/resvg-js for report charts)
 * is copied from this repository's node_modules, where npm installed the binary for the build machine
 * (linux-x64-gnu). Building on an arm64 machine would need the arm64 binary instead; see docs/deploy.md.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Repository root: bundling runs from here, with this lock file. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const LAMBDA_ARCHITECTURE = lambda.Architecture.X86_64;

/** Never bundled: DuckDB is the local query engine only; Athena replaces it in AWS. */
export const ALWAYS_EXTERNAL = ['@duckdb/node-api'];

/** Where the copied files sit inside the bundle (the function's working directory is /var/task). */
export const BUNDLE_SQL_DIR = '/var/task/sql';
/**
 * The chart fonts keep their package layout, so code that finds them with
 * `require.resolve('pretendard/package.json')` works in the bundle exactly as it does in the repository.
 */
const PRETENDARD_FONT_SUBDIR = 'dist/public/static/alternative';
export const BUNDLE_FONT_DIR = `/var/task/node_modules/pretendard/${PRETENDARD_FONT_SUBDIR}`;
/** The weights functions/core/report/charts.ts draws with. */
export const REPORT_FONTS = ['Pretendard-Regular.ttf', 'Pretendard-SemiBold.ttf'];

export interface BundleExtras {
  /** copy the repository's sql/ folder into the bundle */
  sql?: boolean;
  /** copy the Pretendard fonts the charts use into the bundle */
  fonts?: boolean;
  /** packages left out of the esbuild bundle and copied whole into the bundle's node_modules (native code) */
  copiedPackages?: string[];
}

/** Shell commands that copy the extras into the bundle after esbuild has run. */
export function afterBundlingCommands(extras: BundleExtras, inputDir: string, outputDir: string): string[] {
  const commands: string[] = [];
  if (extras.sql) {
    commands.push(`mkdir -p "${outputDir}/sql"`);
    commands.push(`if [ -d "${inputDir}/sql" ]; then cp -R "${inputDir}/sql/." "${outputDir}/sql/"; fi`);
  }
  if (extras.fonts) {
    const fontDir = `${outputDir}/node_modules/pretendard/${PRETENDARD_FONT_SUBDIR}`;
    commands.push(`mkdir -p "${fontDir}"`);
    commands.push(`cp "${inputDir}/node_modules/pretendard/package.json" "${outputDir}/node_modules/pretendard/"`);
    for (const font of REPORT_FONTS) {
      commands.push(`cp "${inputDir}/node_modules/pretendard/${PRETENDARD_FONT_SUBDIR}/${font}" "${fontDir}/"`);
    }
  }
  for (const pkg of extras.copiedPackages ?? []) {
    const parent = pkg.includes('/') ? pkg.slice(0, pkg.lastIndexOf('/')) : '';
    commands.push(`mkdir -p "${outputDir}/node_modules/${parent}"`);
    commands.push(`cp -RL "${inputDir}/node_modules/${pkg}" "${outputDir}/node_modules/${parent}"`);
  }
  return commands;
}

export interface CsPulseFunctionProps {
  /** absolute path of the handler module; it must export `handler` */
  entry: string;
  description: string;
  environment: Record<string, string>;
  timeout: Duration;
  memorySize: number;
  reservedConcurrentExecutions?: number;
  bundle?: BundleExtras;
}

export class CsPulseFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CsPulseFunctionProps) {
    super(scope, id);
    if (!existsSync(props.entry)) throw new Error(`Lambda entry ${props.entry} does not exist`);
    const extras = props.bundle ?? {};
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (${Stack.of(this).stackName})`,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): only this function's own group.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const commandHooks: ICommandHooks = {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => afterBundlingCommands(extras, inputDir, outputDir),
    };
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // maps without embedded sources: stack traces get file and line, the bundle stays small
        sourcesContent: false,
        // The AWS SDK is bundled so the versions in package-lock.json are the ones that run, not whatever
        // the Lambda runtime happens to ship.
        bundleAwsSDK: true,
        externalModules: [...ALWAYS_EXTERNAL, ...(extras.copiedPackages ?? [])],
        // CommonJS dependencies call require(); ESM output has none without this shim.
        banner: "import { createRequire as __cspulseCreateRequire } from 'node:module'; const require = __cspulseCreateRequire(import.meta.url);",
        commandHooks,
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned on purpose: it is the newest runtime the code is tested on (package.json engines, ' +
        'CI on Node 20/22); moving to a newer runtime is a tested change, not a default.',
    });
  }
}
