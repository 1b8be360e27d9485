/**
 * Turns the text of one client file into a validated config. Pure: the caller reads the file, so the same
 * code serves the CLI (folder), the Lambdas (bundled configs) and the CDK app.
 */
import { parse as parseYaml } from 'yaml';

import { clientConfigSchema, type ClientConfig } from './client-config.ts';
import { ConfigError } from './errors.ts';

/**
 * @param file where the text came from, for messages; for a file in `clients/`, the id must equal its name
 * @param options.fromFile false for a config that did not come from a client file (a Lambda's environment)
 */
export function parseClientConfig(text: string, file: string, options: { fromFile?: boolean } = {}): ClientConfig {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new ConfigError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${String(cause)}`, file, [], {
      cause,
    });
  }
  const result = clientConfigSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    }));
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    throw new ConfigError(`${file}: invalid client config\n${lines}`, file, issues, { cause: result.error });
  }
  const expected = file.split('/').pop()!.replace(/\.(ya?ml|json)$/, '');
  if (options.fromFile !== false && expected !== result.data.id) {
    throw new ConfigError(`${file}: id "${result.data.id}" must match the file name "${expected}"`, file, [
      { path: 'id', message: `must match the file name "${expected}"` },
    ]);
  }
  return result.data;
}

