/**
 * Prints precision and recall of usage detection per device kind for each built-in home, not part of
 * the tests:
 *
 *   node --import tsx bench/uses.ts [days=7] [seed=1] [jitter bytes=0] [dir=a temporary directory]
 *
 * A jitter adds 0..that many bytes to every TLS application-data segment as the home is simulated
 * (a packet transform: see test/support/measure-uses.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_HOMES } from '../src/home/spec.js';
import { formatScoreTable, measureHome } from '../test/support/measure-uses.js';

const days = Number(process.argv[2] ?? 7);
const seed = Number(process.argv[3] ?? 1);
const payloadJitterBytes = Number(process.argv[4] ?? 0);
const given = process.argv[5];
const dir = given ?? mkdtempSync(join(tmpdir(), 'peephole-usage-'));
try {
  for (const home of BUILTIN_HOMES) {
    const started = performance.now();
    const m = await measureHome(home, { days, seed, dir, payloadJitterBytes });
    console.log(formatScoreTable(m));
    console.log(`(simulated and detected in ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
} finally {
  if (given === undefined) rmSync(dir, { recursive: true, force: true });
}
