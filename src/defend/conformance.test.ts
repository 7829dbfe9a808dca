// The conformance suite every strategy runs (issue 15, item 2): on a simulated home, at the LAN vantage,
// the same seed gives the same bytes; the cost adds up to what tshark reads in the files written; real
// uses are never lost, only moved within the strategy's stated delay; cover is marked `cover` in
// events.csv; tshark reads the defended capture without a warning. The same holds for the uses of an
// events CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadHomeSpec } from '../home/spec.js';
import { simulateHome } from '../home/simulate.js';
import { readEventsCsv } from '../attack/events-csv.js';
import { createDefence, STRATEGIES } from './registry.js';
import { defendHome } from './defend-home.js';
import { defendUses } from './defend-events.js';
import { DAYS_PER_MONTH } from './cost.js';
import { expertProblems, tsharkTotals } from './test-support.js';

const HOME = 'paper';
const DAYS = 2;
const SEED = 21;
const spec = loadHomeSpec(HOME);
const dir = mkdtempSync(path.join(tmpdir(), 'peephole-defend-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Parameters that make each strategy act on the paper home within three days (the defaults of
 * slot-delay hold no lock, alarm or light back, and the paper home has nothing else).
 */
const ACTING: Readonly<Record<string, Record<string, number | string>>> = {
  'slot-delay': { 'budget.light': 30, 'budget.lock': 30 },
  // Small slots, slowly: the capture stays a few MB (the default, a full datagram a second each way, is 250 MB a day).
  'constant-rate': { rate: 0.1, size: 128 },
};

const undefended = simulateHome({ spec, source: HOME, days: DAYS, seed: SEED, vantage: 'lan', format: 'pcapng', out: path.join(dir, 'undefended') });
const lived = readEventsCsv(undefended.files.events).events;
const undefendedTotals = tsharkTotals(undefended.files.capture!);

interface Row {
  readonly line: string;
  readonly device: string;
  readonly kind: string;
  readonly cause: string;
  readonly timeUs: number;
}

function rows(file: string): Row[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const c = line.split(',');
      return { line, timeUs: Math.round(Number(c[1]) * 1e6), device: c[2], kind: c[3], cause: c[5] };
    });
}

for (const strategy of STRATEGIES) {
  test(`${strategy.name}: same seed same bytes, cost adds up, real uses kept within the delay, cover marked, tshark reads it`, async () => {
    const make = () => createDefence(strategy.name, ACTING[strategy.name] ?? {});
    const run = (name: string) => defendHome({ spec, source: HOME, days: DAYS, seed: SEED, vantage: 'lan', format: 'pcapng', out: path.join(dir, `${strategy.name}-${name}`), defence: make(), undefended });
    const a = await run('a');
    const b = await run('b');
    for (const f of ['activities', 'events', 'capture'] as const) {
      assert.ok(readFileSync(a.defended.files[f]!).equals(readFileSync(b.defended.files[f]!)), `${f} differs between two runs on one seed`);
    }
    // The activities are the residents' own: a defence changes what devices do, not what people did.
    assert.ok(readFileSync(a.defended.files.activities).equals(readFileSync(undefended.files.activities)));

    // The cost adds up to what tshark reads in the two captures.
    const traffic = a.cost.traffic!;
    const before = undefendedTotals;
    const after = tsharkTotals(a.defended.files.capture!);
    assert.deepEqual({ frames: traffic.undefended.frames, bytes: traffic.undefended.bytes }, before);
    assert.deepEqual({ frames: traffic.defended.frames, bytes: traffic.defended.bytes }, after);
    assert.equal(traffic.extraBytes, after.bytes - before.bytes);
    assert.equal(traffic.extraPackets, after.frames - before.frames);
    assert.ok(Math.abs(traffic.extraBytesPerDay * DAYS - traffic.extraBytes) < 1e-6);
    assert.ok(Math.abs(traffic.extraBytesPerSecond * 86_400 * DAYS - traffic.extraBytes) < 1e-3);
    assert.ok(Math.abs(traffic.extraPercent - (100 * traffic.extraBytes) / before.bytes) < 1e-9);
    assert.ok(Math.abs(traffic.extraMbPerMonth - (traffic.extraBytesPerDay * DAYS_PER_MONTH) / 1e6) < 1e-9);

    // Real uses: every lived one is made, device by device in order, no earlier and no later than the strategy allows.
    const defence = make();
    const livedRows = rows(undefended.files.events);
    const madeRows = rows(a.defended.files.events);
    const real = madeRows.filter((r) => r.cause !== 'cover');
    assert.equal(real.length, livedRows.length, 'every real use is made');
    for (const device of new Set(livedRows.map((r) => r.device))) {
      const was = livedRows.filter((r) => r.device === device);
      const now = real.filter((r) => r.device === device);
      assert.equal(now.length, was.length, device);
      was.forEach((r, k) => {
        const delay = now[k].timeUs - r.timeUs;
        assert.ok(delay >= -1 && delay <= defence.maxDelayUs(r.kind) + 1, `${device} use ${k}: delay ${delay} µs, at most ${defence.maxDelayUs(r.kind)}`);
        assert.equal(now[k].line.split(',').slice(2).join(','), r.line.split(',').slice(2).join(','), 'a moved use keeps its device, kind, action, cause and resident');
      });
    }
    const cover = madeRows.filter((r) => r.cause === 'cover');
    assert.equal(cover.length, a.ledger.cover);
    assert.equal(a.cost.uses!.cover, cover.length);
    for (const c of cover) assert.match(c.line, /,cover,$/, 'a cover use has no resident');
    assert.equal(a.cost.uses!.real, livedRows.length);
    // Each strategy does what it is for at these parameters.
    const acted = strategy.family === 'cover' ? cover.length > 0 : strategy.family === 'delay' ? a.cost.uses!.moved > 0 : traffic.extraBytes > 0;
    assert.ok(acted, `${strategy.name} changed nothing: ${JSON.stringify(a.cost.uses)} ${traffic.extraBytes} extra bytes`);

    assert.deepEqual(expertProblems(a.defended.files.capture!), [], 'tshark warnings in the defended capture');

    // The same defence on the events of the home, as an events CSV gives them.
    const e1 = defendUses(lived, make(), SEED);
    const e2 = defendUses(lived, make(), SEED);
    assert.deepEqual(e1.uses, e2.uses);
    assert.equal(e1.uses.filter((u) => u.livedUs !== null).length, lived.length);
    for (const u of e1.uses) {
      if (u.livedUs === null) assert.equal(u.cause, 'cover');
      else assert.ok(u.timeUs - u.livedUs >= 0 && u.timeUs - u.livedUs <= defence.maxDelayUs(u.kind), `${u.device}: ${u.timeUs - u.livedUs} µs`);
    }
    if (strategy.family === 'cover') assert.ok(e1.uses.length > lived.length, 'cover on the events');
  });
}
