#!/usr/bin/env node
// The CLI is written in TypeScript; tsx compiles it on the fly so `npx cspulse` works in a checkout.
import { register } from 'tsx/esm/api';

register();
await import('../functions/cli/cspulse.ts');
