/**
 * `npm run eval:vantages [-- --home family --days 14 --seed 7] [-- --residents auto|N|true] [-- --json]`: the attack at every
 * vantage, scored against the simulator's truth. One home is simulated at the LAN, WAN and Wi-Fi
 * vantages (same spec and seed: the same life, each capture as that observer records it); each
 * capture is attacked as `peephole attack` attacks it (uses found by `detectUsage()`, the bundled
 * model, or `--model DIR`), and the inferred day is scored against the home's activities.csv with the
 * labelled evaluation (attack/evaluate-labelled.ts: timeline macro-F1 at 15 and 30 min, a prediction
 * right when a true activity of its class is within the tolerance, each matched once). The home's
 * own events.csv (the uses as lived, the best any vantage could find) is scored beside them. With
 * `--residents N` the structured preset reads N residents (`peephole attack --residents N`; by default
 * auto, as `attack`: the number estimated from the uses at each vantage); with
 * `--residents true`, the home's own number (its spec's residents).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateLabelledHome, widestScore } from '../src/attack/evaluate-labelled.js';
import { parseLabelsCsv, readLabelledHome } from '../src/attack/labelled-home.js';
import { loadPredictor, type ActivityPredictor } from '../src/attack/predictor.js';
import { StructuredPreset } from '../src/attack/structured-preset.js';
import { VANTAGES, type Vantage } from '../src/core/vantage.js';
import { simulateHome } from '../src/home/simulate.js';
import { loadHomeSpec } from '../src/home/spec.js';
import { defaultVendorRules } from '../src/observe/vendor-rules.js';
import { registeredVendorLookup } from '../src/observe/oui.js';
import { detectUsage } from '../src/uses/detect-usage.js';

const { values } = parseArgs({
  options: {
    home: { type: 'string', default: 'family' },
    days: { type: 'string', default: '14' },
    seed: { type: 'string', default: '7' },
    model: { type: 'string', default: path.join(import.meta.dirname, '..', 'models', 'bundled') },
    /** A folder holding lan/, wan/ and wifi/ as `peephole simulate --vantage V --out DIR/V` wrote them (same home, days and seed): not simulated again. */
    sims: { type: 'string' },
    /** How many residents the structured preset reads (as `peephole attack --residents N`); `true`: the home's own number. */
    residents: { type: 'string', default: 'auto' },
    json: { type: 'boolean', default: false },
  },
});

const days = Number(values.days);
const seed = Number(values.seed);
const dir = values.sims ?? mkdtempSync(path.join(tmpdir(), 'peephole-vantages-'));
try {
  const loaded = await loadPredictor(values.model!);
  const { manifest } = loaded;
  const spec = loadHomeSpec(values.home!);
  const auto = values.residents === 'auto';
  const residents = values.residents === 'true' ? spec.residents.length : auto ? 1 : Number(values.residents);
  if (!Number.isInteger(residents) || residents < 1) throw new Error(`--residents: auto, a whole number from 1, or true, not ${values.residents}`);
  let predictor: ActivityPredictor = loaded.predictor;
  if (!auto && (residents > 1 || predictor instanceof StructuredPreset)) {
    if (!(predictor instanceof StructuredPreset)) throw new Error(`--residents ${residents}: ${values.model} holds the ${manifest.preset} preset, not structured`);
    predictor = new StructuredPreset(predictor.params, residents);
  }
  const rows: { source: string; uses: number; devices: number; f1At15: number; f1At30: number; predicted: number; truth: number }[] = [];
  let labelsFile = '';
  let eventsFile = '';
  for (const vantage of VANTAGES as readonly Vantage[]) {
    const out = path.join(dir, vantage);
    const files =
      values.sims !== undefined
        ? { activities: path.join(out, 'activities.csv'), events: path.join(out, 'events.csv'), capture: path.join(out, 'capture.pcapng') }
        : simulateHome({ spec, source: values.home!, days, seed, out, vantage, format: 'pcapng' }).files;
    labelsFile = files.activities;
    eventsFile = files.events;
    const usage = await detectUsage(files.capture!, { rules: defaultVendorRules(), oui: registeredVendorLookup(), task: 'attack' });
    const labels = parseLabelsCsv(readFileSync(labelsFile, 'utf8'), labelsFile);
    const events = usage.events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind }));
    const e = evaluateLabelledHome(predictor, { eventsFile: files.capture!, labelsFile, events, labels });
    rows.push({ source: `${vantage} capture`, uses: events.length, devices: usage.devices.length, f1At15: e.scores[0].match.macroF1, f1At30: widestScore(e.scores).match.macroF1, predicted: e.predicted.length, truth: e.truth.length });
  }
  const lived = evaluateLabelledHome(predictor, readLabelledHome(eventsFile, labelsFile));
  rows.push({ source: 'events.csv (as lived)', uses: lived.uses, devices: 0, f1At15: lived.scores[0].match.macroF1, f1At30: widestScore(lived.scores).match.macroF1, predicted: lived.predicted.length, truth: lived.truth.length });
  if (values.json) {
    console.log(JSON.stringify({ home: values.home, days, seed, model: values.model, preset: manifest.preset, residents, rows }, null, 2));
  } else {
    console.log(`eval:vantages: home ${values.home}, ${days} day(s), seed ${seed}; model ${manifest.preset} (${values.model})${residents > 1 ? `, read as ${residents} residents` : ''}\n`);
    console.log('source                  uses  devices  predicted  true  macro-F1@15  macro-F1@30');
    for (const r of rows) {
      console.log(`${r.source.padEnd(22)}  ${String(r.uses).padStart(4)}  ${String(r.devices || '-').padStart(7)}  ${String(r.predicted).padStart(9)}  ${String(r.truth).padStart(4)}  ${r.f1At15.toFixed(3).padStart(11)}  ${r.f1At30.toFixed(3).padStart(11)}`);
    }
  }
} finally {
  if (values.sims === undefined) rmSync(dir, { recursive: true, force: true });
}
