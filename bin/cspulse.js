#!/usr/bin/env node
// `cspulse`: runs the bundle of the checkout's sources (bin/cli-bundle.js builds it, once per change of them).
// `npm run cspulse` runs the TypeScript sources directly with tsx instead, for development.
import { pathToFileURL } from 'node:url';
import { currentBundle } from './cli-bundle.js';

await import(pathToFileURL(await currentBundle()).href);
