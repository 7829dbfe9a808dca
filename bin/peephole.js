#!/usr/bin/env node
// The `peephole` command: a thin shim over the bundled CLI (built by `npm ci` through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// V8 optimises a function once it has run a budget of bytecode (67,584 by default). A peephole command
// often lives under a second, and with the default V8 spent about 0.29 s of CPU compiling 46 functions
// (module loading, the decoders of the few DNS and TLS packets...) while the command ran, on machines
// with 2 cores where that competes with reading and decoding. With a larger budget it optimises what
// is really hot: `peephole inspect` of the 1 GB bench:ingest capture compiled 19 functions in 0.04 s
// and ran in 0.36 s instead of 0.44 s (best of 7 each); packets, devices and simulate ran as fast or
// faster. Set before anything else is loaded; the library itself changes no V8 setting.
setFlagsFromString('--interrupt-budget=300000');
const main = new URL('../dist/peephole.mjs', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('peephole: not built yet; run `npm ci` (or `npm run build`) in the project folder first\n');
  process.exit(2);
}
await import(main.href);
