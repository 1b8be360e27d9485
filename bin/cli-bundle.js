// The `cspulse` command runs from a bundle of functions/ that esbuild builds into dist/cli/<fingerprint>/: once
// by `npm ci` (the `prepare` script runs this file), and again by bin/cspulse.js whenever the sources it bundles
// changed since, so a checkout always runs what it holds. The fingerprint covers every file the bundle is made
// of (functions/, presets/, this file, package.json): their paths, sizes and modification times. sql/ and
// clients/ are read when the command runs, from the checkout, so editing them needs no rebuild.
//
// The bundle is split at the command actions' `await import(...)` (functions/cli/main.ts), so `cspulse --help`
// loads commander and the command definitions only. npm packages stay outside it (DuckDB's native binding
// among them) and load from node_modules. Plain JavaScript, so that starting it needs no compiler.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'cli');
const BUNDLED = ['functions', 'presets'];
const ENTRY = 'functions/cli/cspulse.ts';

/** Paths, sizes and modification times of everything the bundle is built from (in a checkout at `root`), hashed. */
export function sourceFingerprint(root = ROOT) {
  const hash = createHash('sha256');
  const files = [join(root, 'package.json'), fileURLToPath(import.meta.url)];
  for (const dir of BUNDLED) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files.push(join(entry.parentPath ?? entry.path, entry.name));
    }
  }
  for (const file of files.sort()) {
    const info = statSync(file);
    hash.update(`${relative(root, file)}\0${info.size}\0${info.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Each source file's `import.meta.url` as it is in the checkout, so modules that find files beside themselves
 * (sql/ from functions/core/sql, fonts through createRequire, the sample clients) find them from the bundle too.
 */
function checkoutUrls(outdir) {
  return {
    name: 'checkout-import-meta',
    setup(build) {
      build.onLoad({ filter: /[\\/]functions[\\/].*\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (/import\.meta\.(dirname|filename)/.test(text)) {
          return { errors: [{ text: `${relative(ROOT, args.path)}: use import.meta.url (the bundle maps it to the checkout)` }] };
        }
        if (!text.includes('import.meta.url')) return undefined;
        const fromBundle = relative(outdir, args.path).split(sep).join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}

/** Builds the bundle for a fingerprint into dist/cli/<fingerprint>/; returns its entry file. */
export async function buildBundle(fingerprint = sourceFingerprint()) {
  const target = join(OUT, fingerprint);
  const entry = join(target, 'cspulse.js');
  if (existsSync(entry)) return entry;
  // built beside the target and renamed into place: a command started meanwhile never sees half a bundle
  const temp = join(OUT, `.tmp-${fingerprint}-${process.pid}`);
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { cspulse: ENTRY },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: temp,
    // the same depth as the final folder: the checkout URLs are relative to it
    plugins: [checkoutUrls(target)],
    metafile: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  writeFileSync(join(temp, 'meta.json'), JSON.stringify(result.metafile));
  try {
    renameSync(temp, target);
  } catch (error) {
    // another command built the same sources at the same time: its bundle is this one
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(entry)) throw error;
  }
  for (const old of readdirSync(OUT)) {
    if (old !== fingerprint && !old.startsWith('.tmp-')) rmSync(join(OUT, old), { recursive: true, force: true });
  }
  return entry;
}

/** The entry file of a bundle of the checkout as it is now, built first when there is none. */
export async function currentBundle() {
  const fingerprint = sourceFingerprint();
  const entry = join(OUT, fingerprint, 'cspulse.js');
  return existsSync(entry) ? entry : buildBundle(fingerprint);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const entry = await buildBundle();
    process.stdout.write(`cspulse bundle: ${relative(ROOT, entry)}\n`);
  } catch (error) {
    // an install without devDependencies has no esbuild: nothing to build the command with, and no checkout to run
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    process.stderr.write(`cspulse bundle not built: ${error.message}\n`);
  }
}
