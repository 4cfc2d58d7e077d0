import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['web', 'server', 'alerts', 'realtime', 'ingest', 'db', 'config'];
const FILES = ['svelte.config.js', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'];
const STAMP = join(ROOT, 'build', '.source-fingerprint');

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (!entry.name.endsWith('.spec.ts')) out.push(full);
  }
}

/** A fingerprint of everything the SvelteKit build depends on (paths, sizes, modification times). */
export function sourceFingerprint(root = ROOT): string {
  const files: string[] = [];
  for (const d of SOURCES) walk(join(root, d), files);
  for (const f of FILES) if (existsSync(join(root, f))) files.push(join(root, f));
  const hash = createHash('sha256');
  for (const f of files.sort()) {
    const s = statSync(f);
    hash.update(`${relative(root, f)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** Whether `build/` is missing or older than the sources. */
export function buildIsStale(root = ROOT): boolean {
  if (!existsSync(join(root, 'build', 'handler.js')) || !existsSync(STAMP)) return true;
  return readFileSync(STAMP, 'utf8').trim() !== sourceFingerprint(root);
}

/**
 * Builds the SvelteKit app when the build is missing or stale. In a production image without dev
 * dependencies the prebuilt `build/` is used as it is.
 */
export function ensureBuild(log: (m: string) => void = (m) => process.stderr.write(`${m}\n`)): void {
  if (!buildIsStale()) return;
  // Two test runs at once (a developer's watch and a full run) must not build into one folder together.
  const lock = join(ROOT, '.build-lock');
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`Another build has held ${lock} for 5 minutes; remove it if stale`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (buildIsStale()) buildNow(log);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function buildNow(log: (m: string) => void): void {
  const vite = join(ROOT, 'node_modules', '.bin', 'vite');
  if (!existsSync(vite)) {
    if (existsSync(join(ROOT, 'build', 'handler.js'))) {
      log('build: vite is not installed; serving the existing build');
      return;
    }
    throw new Error('No build/ and no vite to make one: run `npm install` first');
  }
  log('build: sources changed since the last build, building (vite build)…');
  const fingerprint = sourceFingerprint();
  const result = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status})`);
  writeFileSync(STAMP, fingerprint);
  log('build: done');
}
