// Where the end-to-end tests find the repository, the peephole command, the recording script and its
// cache, and the shared real captures. Everything is resolved from this file, never from process.cwd().
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The repository root (the folder that holds package.json). */
export const REPO_ROOT: string = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The `peephole` command shim; it needs `npm run build` first. */
export const PEEPHOLE_BIN: string = path.join(REPO_ROOT, 'bin', 'peephole.js');

/** The script that records real loopback traffic (run with `node --import tsx`). */
export const RECORD_LOOPBACK_SCRIPT: string = path.join(REPO_ROOT, 'scripts', 'record-loopback.ts');

/** Git-ignored cache of recordings; `test/.cache/` is listed in .gitignore. */
export const TEST_CACHE_DIR: string = path.join(REPO_ROOT, 'test', '.cache');

/** The recordings of real loopback traffic, in every capture format, and their MANIFEST.tsv. */
export const LOOPBACK_CACHE_DIR: string = path.join(TEST_CACHE_DIR, 'loopback');

/** Real public captures shared by the project (read-only), beside the repository: `../shared/captures`. */
export const SHARED_CAPTURES_DIR: string = path.resolve(REPO_ROOT, '..', 'shared', 'captures');
export const SRC_DIR: string = path.join(REPO_ROOT, 'src');

/** Every `.ts` file under `dir`, recursively, as absolute paths. */
export function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}
