/**
 * CDK entry: `npx cdk synth` / `npx cdk deploy CsPulse-Client-<id>`. Reads every clients/*.yaml with the
 * same schema as the CLI and fails before synthesis with the file and field of any bad config.
 * Works offline: the account and region come from the environment or fall back to placeholders, and
 * nothing is looked up.
 */
import { join } from 'node:path';

import { ConfigError } from '../functions/core/config/errors.ts';
import { REPO_ROOT } from './constructs/cspulse-function.ts';
import { buildApp, DEFAULT_REGION } from './build-app.ts';
import { DeployConfigError } from './errors.ts';

const configDir = process.env.CSPULSE_CONFIG_DIR ?? join(REPO_ROOT, 'clients');
const envSender = process.env.CSPULSE_DEFAULT_SENDER;
try {
  const { app } = await buildApp({
    configDir,
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111',
      region: process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION,
    },
    // one default From address for every client without a sender of its own (functions/core/config/sender.ts)
    defaultSender: envSender === '' ? undefined : envSender,
  });
  app.synth();
} catch (error) {
  if (error instanceof ConfigError || error instanceof DeployConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
