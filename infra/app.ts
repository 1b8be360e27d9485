/**
 * CDK entry: `npx cdk synth` / `npx cdk deploy CsPulse-Client-<id>`. Reads every clients/*.yaml with the
 * same schema as the CLI and fails before synthesis with the file and field of any bad config.
 * Works offline: the region is cdk.json's `cspulse:region` (or `-c cspulse:region=…`), the account comes from
 * the environment or falls back to a placeholder, and nothing is looked up.
 */
import { join } from 'node:path';

import { App } from 'aws-cdk-lib';

import { ConfigError } from '../functions/core/config/errors.ts';
import { REPO_ROOT } from './constructs/cspulse-function.ts';
import { buildApp, CROSS_STACK_REFERENCES, deployRegion } from './build-app.ts';
import { DeployConfigError } from './errors.ts';

const configDir = process.env.CSPULSE_CONFIG_DIR ?? join(REPO_ROOT, 'clients');
const envSender = process.env.CSPULSE_DEFAULT_SENDER;
try {
  const app = new App({ context: { [CROSS_STACK_REFERENCES]: 'strong' } });
  await buildApp({
    app,
    configDir,
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111',
      region: deployRegion(app),
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
