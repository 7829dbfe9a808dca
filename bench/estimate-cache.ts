import path from 'node:path';
import { cachedHome } from './count-cache.js';
const [from, to, days] = process.argv.slice(2).map(Number);
for (let s = from; s <= to; s++) {
  const h = await cachedHome('/work/wt-howmany/bench/.data/residents', `random:${s}`, days, 7);
  process.stdout.write(`random:${s} R=${h.residents} uses=${h.uses.length}\n`);
}
