/**
 * Every cspulse Lambda: Node.js 22 on x86_64, bundled locally with esbuild (no Docker), ESM output, its own
 * log group and its own role without managed policies, so each function holds exactly the statements its
 * client stack adds.
 *
 * Architecture: x86_64, because the native modules a bundle carries (@resvg/resvg-js for report charts,
 * DuckDB's binding for ingest) are copied from this repository's node_modules, where npm installed the
 * binaries for the build machine (linux-x64, glibc). Building on another platform would copy the wrong
 * binaries; see docs/deploy.md.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Duration, RemovalPolicy, Stack, Token, Validations, type Size } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Repository root: bundling runs from here, with this lock file. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const LAMBDA_ARCHITECTURE = lambda.Architecture.X86_64;

/**
 * Never bundled by esbuild: DuckDB's JavaScript loads its native binding with require() at run time. The
 * ingest function carries it as copied packages (DUCKDB_PACKAGES); the others never load it.
 */
export const ALWAYS_EXTERNAL = ['@duckdb/node-api'];

/**
 * DuckDB as the ingest function carries it: the API, the loader that picks the platform package, the loader's
 * one dependency, and the linux-x64 (glibc) binding, whose duckdb.node finds libduckdb.so beside it through
 * its RUNPATH `$ORIGIN`.
 */
export const DUCKDB_PACKAGES = ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-linux-x64', 'detect-libc'];

/**
 * Lambda's limit for all environment variables of a function together, keys and values
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export const LAMBDA_ENVIRONMENT_BYTES = 4 * 1024;
/**
 * What an unresolved token (a bucket name, a queue URL) may take at deploy time: S3 bucket names have at most
 * 63 characters, SQS queue names 80 (a URL adds the scheme, the regional host and the account).
 */
const TOKEN_BYTES = 140;

/** The environment's size as Lambda counts it, with every token at its longest. */
export function environmentBytes(environment: Record<string, string>): number {
  let total = 0;
  for (const [key, value] of Object.entries(environment)) {
    total += Buffer.byteLength(key) + (Token.isUnresolved(value) ? TOKEN_BYTES : Buffer.byteLength(value));
  }
  return total;
}

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
  /** /tmp size (Lambda's default is 512 MiB) */
  ephemeralStorageSize?: Size;
  reservedConcurrentExecutions?: number;
  /**
   * For functions invoked asynchronously (EventBridge Scheduler invokes Lambda with InvocationType Event):
   * Lambda's own retries of a failed invocation, and where the event goes once they are used up.
   */
  asyncInvoke?: { onFailure: sqs.IQueue; retryAttempts: number; maxEventAge: Duration };
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
    for (const pkg of extras.copiedPackages ?? []) {
      if (!existsSync(join(REPO_ROOT, 'node_modules', pkg, 'package.json'))) {
        throw new Error(
          `${this.node.path}: package ${pkg} is not installed in node_modules; the bundle copies it from there. ` +
            'npm installs platform packages for the machine it runs on: deploy from Linux x64 (see docs/deploy.md).',
        );
      }
    }
    // No --enable-source-maps: with it, importing the report bundle took 4.5 s and 465 MB instead of 2.5 s and
    // 179 MB, half of Lambda's 10-second init budget. Names are kept in the bundle instead (keepNames below), so
    // a stack trace still names the function and class that threw.
    const environment = { ...props.environment };
    const envBytes = environmentBytes(environment);
    if (envBytes > LAMBDA_ENVIRONMENT_BYTES) {
      throw new Error(
        `${this.node.path}: the environment takes up to ${envBytes} bytes; Lambda allows ${LAMBDA_ENVIRONMENT_BYTES} ` +
          '(keys and values together). Shorten the client config.',
      );
    }
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
      ephemeralStorageSize: props.ephemeralStorageSize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      ...(props.asyncInvoke
        ? {
            onFailure: new SqsDestination(props.asyncInvoke.onFailure),
            retryAttempts: props.asyncInvoke.retryAttempts,
            maxEventAge: props.asyncInvoke.maxEventAge,
          }
        : {}),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      environment,
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        // esbuild's keepNames: minified code keeps every function and class name, so stack traces and error
        // names read as in the source without shipping or loading a source map
        keepNames: true,
        sourceMap: false,
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
