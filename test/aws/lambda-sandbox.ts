/**
 * Runs a bundled handler from cdk.out the way Lambda runs it, in a child process ("a container") that stays up
 * between invocations as a warm Lambda container does:
 * - the code folder is a copy of the asset folder, made read-only (and, when the tests run as root, the
 *   process runs as `nobody`, for whom read-only holds: root would write anyway);
 * - the environment is the template's variables (the bundle's own `/var/task` paths pointed at the copy), the
 *   variables Lambda sets (region, function name, memory, `_HANDLER`, `LAMBDA_TASK_ROOT`, `TZ=:UTC`) and the
 *   stand-in endpoints (`AWS_ENDPOINT_URL` for moto, `AWS_ENDPOINT_URL_ATHENA` for the Athena stand-in); no HOME;
 * - the only writable folder is its own scratch folder, given as TMPDIR (Lambda's /tmp);
 * - the given Node binary: the machine's Node 20, or Lambda's major version, Node 22.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CREDENTIALS, REGION, type FunctionSpec } from './deploy-templates.ts';

export interface Invocation {
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string };
  /** what the invocation printed, one entry per line */
  lines: string[];
  /** the JSON lines among them (Powertools logs and EMF documents) */
  json: Record<string, unknown>[];
}

export interface LambdaContainer {
  node: string;
  invoke(event: unknown): Promise<Invocation>;
  stop(): Promise<void>;
}

const NOBODY = 65534;

export async function startContainer(
  spec: FunctionSpec,
  options: {
    node: string;
    scratch: string;
    motoEndpoint: string;
    athenaEndpoint: string;
    /** more of the environment, e.g. NODE_EXTRA_CA_CERTS for a stand-in's certificate */
    env?: Record<string, string>;
  },
): Promise<LambdaContainer> {
  const base = join(options.scratch, `${spec.logicalId}-${randomUUID().slice(0, 8)}`);
  const task = join(base, 'task');
  const tmp = join(base, 'tmp');
  mkdirSync(tmp, { recursive: true });
  cpSync(spec.assetDir, task, { recursive: true, dereference: true });
  execFileSync('chmod', ['-R', 'a-w', task]);
  const runtime = join(base, 'lambda-runtime.mjs');
  copyFileSync(join(import.meta.dirname, 'lambda-runtime.mjs'), runtime);
  const asRoot = process.getuid?.() === 0;
  for (const dir of [options.scratch, base]) chmodSync(dir, 0o755);
  if (asRoot) chownSync(tmp, NOBODY, NOBODY);

  const environment = Object.fromEntries(Object.entries(spec.environment).map(([k, v]) => [k, v.startsWith('/var/task') ? task + v.slice('/var/task'.length) : v]));
  const env: Record<string, string> = {
    ...environment,
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    TMPDIR: tmp,
    LAMBDA_TASK_ROOT: task,
    _HANDLER: spec.handler,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: 'testing',
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_ENDPOINT_URL: options.motoEndpoint,
    AWS_ENDPOINT_URL_ATHENA: options.athenaEndpoint,
    ...options.env,
  };
  const child: ChildProcess = fork(runtime, [], {
    execPath: options.node,
    execArgv: [],
    cwd: task,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  let lines: string[] = [];
  let buffer = '';
  const markers = new Map<string, () => void>();
  const onOutput = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const end = /^\u0000END (.+)$/.exec(line);
      if (end) markers.get(end[1]!)?.();
      else lines.push(line);
    }
  };
  child.stdout!.on('data', onOutput);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    lines.push(...d.toString().split('\n').filter((l) => l !== ''));
  });
  const results = new Map<string, (m: { ok: boolean; result?: unknown; error?: Invocation['error'] }) => void>();
  let node = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${spec.logicalId} exited with ${code} before it was ready: ${stderr}`)));
    child.on('message', (m: { ready?: boolean; node?: string; id?: string }) => {
      if (m.ready) {
        node = m.node!;
        resolve();
      } else if (m.id) results.get(m.id)?.(m as never);
    });
  });
  child.removeAllListeners('exit');

  return {
    node,
    async invoke(event: unknown): Promise<Invocation> {
      const id = randomUUID();
      const done = Promise.all([
        new Promise<{ ok: boolean; result?: unknown; error?: Invocation['error'] }>((resolve) => results.set(id, resolve)),
        new Promise<void>((resolve) => markers.set(id, resolve)),
      ]);
      child.send({ id, event, timeoutMs: spec.timeoutSeconds * 1000 });
      const [outcome] = await done;
      results.delete(id);
      markers.delete(id);
      const printed = lines;
      lines = [];
      const json = printed.flatMap((l) => {
        try {
          const v: unknown = JSON.parse(l);
          return v !== null && typeof v === 'object' ? [v as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      });
      return { ...outcome, lines: printed, json };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
