/**
 * Where the project's data tables (`data/` at the package root) are, from wherever the code runs:
 * the TypeScript sources (src/), the compiled modules (dist/) or the single-file CLI bundle. The
 * package root is found by walking up from this module to the folder holding `data/`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The absolute path of `data/<name>`. */
export function dataFile(name: string): string {
  if (root === null) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'data', name)) && dirname(dir) !== dir) dir = dirname(dir);
    root = dir;
  }
  return join(root, 'data', name);
}

/** The package root (the folder holding `data/` and package.json): where `models/bundled/` is built. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!(existsSync(join(dir, 'data')) && existsSync(join(dir, 'package.json'))) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
