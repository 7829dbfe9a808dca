#!/usr/bin/env node
// The `peephole` command: a thin shim over the bundled CLI (built by `npm ci` through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = new URL('../dist/peephole.mjs', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('peephole: not built yet; run `npm ci` (or `npm run build`) in the project folder first\n');
  process.exit(2);
}
await import(main.href);
