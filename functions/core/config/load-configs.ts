import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientConfig } from './client-config.ts';
import { ConfigError } from './errors.ts';
import { parseClientConfig } from './parse-config.ts';

export const CONFIG_FILE = /\.(ya?ml|json)$/;

/** Reads and validates every client file in a folder; throws one ConfigError listing all bad files. */
export async function loadClientConfigs(dir: string): Promise<ClientConfig[]> {
  const files = (await readdir(dir)).filter((f) => CONFIG_FILE.test(f)).sort();
  const configs: ClientConfig[] = [];
  const errors: ConfigError[] = [];
  for (const file of files) {
    try {
      configs.push(parseClientConfig(await readFile(join(dir, file), 'utf8'), join(dir, file)));
    } catch (error) {
      if (error instanceof ConfigError) errors.push(error);
      else throw error;
    }
  }
  if (errors.length > 0) {
    throw new ConfigError(errors.map((e) => e.message).join('\n'), dir, errors.flatMap((e) => e.issues));
  }
  const seen = new Map<string, string>();
  for (const c of configs) {
    if (seen.has(c.id)) throw new ConfigError(`client id "${c.id}" is used twice in ${dir}`, dir);
    seen.set(c.id, c.id);
  }
  return configs;
}

export async function loadClientConfig(dir: string, clientId: string): Promise<ClientConfig> {
  const all = await loadClientConfigs(dir);
  const found = all.find((c) => c.id === clientId);
  if (!found) {
    throw new ConfigError(
      `no client "${clientId}" in ${dir} (have: ${all.map((c) => c.id).join(', ') || 'none'})`,
      dir,
    );
  }
  return found;
}
