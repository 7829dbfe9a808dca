// The attack end to end: the published network on the regenerated published data, the presets on a
// home none of them saw in training (beside the rules floor), models refused when tampered with,
// and `peephole attack` on an events CSV and on a simulated capture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fitPreset } from '../src/attack/fit-preset.js';
import { predictorFor } from '../src/attack/predictor.js';
import { dataFromHomes, dataFromPaperCsv } from '../src/attack/training-data.js';
import { TRAINING_HOMES, UNSEEN_HOME } from '../src/attack/training-homes.js';
import { evaluateLife, readActivitiesCsv } from '../src/attack/evaluate-model.js';
import { lifeOfHome } from '../src/attack/simulated-life.js';
import { matchTimeline } from '../src/evaluate/timeline-match.js';
import { ACTIVITIES } from '../src/core/activities.js';
import { RulesPreset } from '../src/attack/rules.js';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-attack-'));

function peephole(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [PEEPHOLE_BIN, ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 28, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** The best accuracy any classifier can have on rows: identical feature rows get their majority label. */
function ceiling(values: Float32Array, labels: Int32Array, width: number, from: number, to: number): number {
  const counts = new Map<string, Map<number, number>>();
  for (let r = from; r < to; r++) {
    const key = Array.from(values.subarray(r * width, (r + 1) * width)).join(',');
    const m = counts.get(key) ?? new Map<number, number>();
    m.set(labels[r], (m.get(labels[r]) ?? 0) + 1);
    counts.set(key, m);
  }
  let best = 0;
  for (const m of counts.values()) best += Math.max(...m.values());
  return best / (to - from);
}

test('the paper preset on the regenerated published data comes within 2 points of the best any model can reach on it', async () => {
  const out = path.join(dir, 'paper-data');
  assert.equal(peephole(['simulate', '--preset', 'paper', '--seed', '1', '--out', out]).status, 0);
  const data = dataFromPaperCsv(path.join(out, 'training.csv'));
  assert.equal(data.rows, 135_668);
  const result = await fitPreset(data, { preset: 'paper', seed: 1, epochs: 3 });
  const valAcc = result.fit!.history.at(-1)!.valAcc!;
  const trainRows = result.fit!.trainRows;
  // Rows with the same features but different labels (an outing's leaving and its return at the same
  // minute look alike to the published features) cap the accuracy of any classifier: 98.81% as
  // published is out of reach on this data, and the model must come near the cap without passing it.
  const cap = ceiling(data.values, data.labels, data.width, trainRows, data.rows);
  assert.ok(valAcc <= cap + 1e-9, `validation accuracy ${valAcc} above the ceiling ${cap}`);
  assert.ok(valAcc >= cap - 0.02, `validation accuracy ${valAcc}, ceiling ${cap}`);
});

test('on a home never seen in training, the sequence preset beats the paper preset and the rules floor on the timeline', async () => {
  const unseen = lifeOfHome(UNSEEN_HOME, 60, 1001);
  const scores: Record<string, number> = {};
  for (const [preset, set] of [
    ['paper', 'paper'],
    ['sequence', 'sequence'],
  ] as const) {
    const data = dataFromHomes(TRAINING_HOMES, set, { days: 120, seed: 1 });
    scores[preset] = evaluateLife(predictorFor(await fitPreset(data, { preset, seed: 1 })), unseen).timeline.macroF1;
  }
  scores.rules = evaluateLife(new RulesPreset(), unseen).timeline.macroF1;
  assert.ok(scores.sequence > scores.paper, JSON.stringify(scores));
  assert.ok(scores.sequence > scores.rules, JSON.stringify(scores));
});

test('peephole evaluate and attack refuse a tampered model file, naming it, with exit 1', () => {
  const model = path.join(dir, 'rules-model');
  assert.equal(peephole(['train', '--preset', 'rules', '--out', model]).status, 0);
  const small = path.join(dir, 'small-model');
  const trained = peephole(['train', '--home', 'paper', '--days', '20', '--epochs', '2', '--out', small]);
  assert.equal(trained.status, 0, trained.stderr);
  // Its manifest emptied of its files: the network dropped, the rules would have answered as "dense".
  const emptied = path.join(dir, 'small-model-emptied');
  cpSync(small, emptied, { recursive: true });
  const emptiedManifest = path.join(emptied, 'peephole-model.json');
  writeFileSync(emptiedManifest, JSON.stringify({ ...JSON.parse(readFileSync(emptiedManifest, 'utf8')), files: {} }));
  const oneUse = path.join(dir, 'one-use.csv');
  writeFileSync(oneUse, 'time,device,kind\n2026-11-02T07:00:00Z,hall,light\n');
  const noNetwork = peephole(['attack', oneUse, '--model', emptied]);
  assert.equal(noNetwork.status, 1);
  assert.match(noNetwork.stderr, /^peephole: .*small-model-emptied\/peephole-model\.json: files: the dense preset's network is model\.json, weights\.bin, but model\.json and weights\.bin are not listed \(listed: none\)\n$/);
  const weights = path.join(small, 'weights.bin');
  const bytes = readFileSync(weights);
  bytes[100] ^= 1;
  writeFileSync(weights, bytes);
  const events = path.join(dir, 'events.csv');
  writeFileSync(events, 'time,device,kind\n2026-11-02T07:00:00Z,hall,light\n');
  const r = peephole(['attack', events, '--model', small]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^peephole: .*weights\.bin: checksum mismatch/);
  const manifest = path.join(small, 'peephole-model.json');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"featureSet": "extended"', '"featureSet": "paper"'));
  const e = peephole(['evaluate', '--model', small, '--home', 'paper', '--days', '2']);
  assert.equal(e.status, 1);
  assert.match(e.stderr, /peephole-model\.json: /);
});

test('peephole attack and evaluate print the model folder\'s digest, and with --model-sha256 refuse any other folder', () => {
  const model = path.join(dir, 'rules-pinned');
  assert.equal(peephole(['train', '--preset', 'rules', '--out', model]).status, 0);
  // The digest as documented: sha256sum of the manifest and the files it lists (none for rules), piped into sha256sum.
  const digestOf = (folder: string): string => spawnSync('sh', ['-c', 'sha256sum peephole-model.json | sha256sum'], { cwd: folder, encoding: 'utf8' }).stdout.split(' ')[0];
  const trusted = digestOf(model);
  assert.match(trusted, /^[0-9a-f]{64}$/);
  const events = path.join(dir, 'events-pinned.csv');
  writeFileSync(events, 'time,device,kind\n2026-11-02T07:00:00Z,hall,light\n');
  const text = peephole(['attack', events, '--model', model]);
  assert.equal(text.status, 0, text.stderr);
  assert.ok(text.stdout.startsWith(`peephole attack: 1 uses from ${events}; model rules (${model}, sha256 ${trusted})\n`), text.stdout);
  const json = peephole(['attack', events, '--model', model, '--json', '--model-sha256', trusted.toUpperCase()]);
  assert.equal(json.status, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout).model, { dir: model, preset: 'rules', featureSet: 'events', sha256: trusted });
  const evaluated = peephole(['evaluate', '--model', model, '--home', 'paper', '--days', '1', '--json', '--model-sha256', trusted]);
  assert.equal(evaluated.status, 0, evaluated.stderr);
  assert.equal(JSON.parse(evaluated.stdout).model.sha256, trusted);
  const evaluatedText = peephole(['evaluate', '--model', model, '--home', 'paper', '--days', '1']);
  assert.ok(evaluatedText.stdout.startsWith(`model rules (${model}, sha256 ${trusted})\n\n`), evaluatedText.stdout);
  // The same folder with one word of its manifest changed is another model: refused, in one line naming the folder and both digests.
  const manifest = path.join(model, 'peephole-model.json');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('no learning', 'no learning at all'));
  const changed = digestOf(model);
  assert.notEqual(changed, trusted);
  const refusal = `peephole: ${model}: the model folder's SHA-256 is ${changed}, not the expected ${trusted}: this is not the model that was pinned\n`;
  for (const args of [['attack', events, '--model', model], ['evaluate', '--model', model, '--home', 'paper', '--days', '1']]) {
    const r = peephole([...args, '--model-sha256', trusted]);
    assert.equal(r.status, 1, args[0]);
    assert.equal(r.stderr, refusal);
    assert.equal(r.stdout, '');
  }
  const badHex = peephole(['attack', events, '--model', model, '--model-sha256', 'abc']);
  assert.equal(badHex.status, 2);
  assert.match(badHex.stderr, /^peephole: --model-sha256 needs 64 hex digits .*, got "abc"\n$/);
});

test('peephole attack without a model says how to build the bundled one', () => {
  const events = path.join(dir, 'events-none.csv');
  writeFileSync(events, 'time,device,kind\n2026-11-02T07:00:00Z,hall,light\n');
  const r = peephole(['attack', events], { PEEPHOLE_BUNDLED_MODEL: path.join(dir, 'no-model-here') });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /peephole train --bundled/);
});

test('peephole attack prints the residents\' day from an events CSV of any kinds, with --json', () => {
  const model = path.join(dir, 'rules-model-2');
  assert.equal(peephole(['train', '--preset', 'rules', '--out', model]).status, 0);
  const sim = path.join(dir, 'sim-paper');
  assert.equal(peephole(['simulate', '--home', 'paper', '--days', '3', '--format', 'none', '--out', sim]).status, 0);
  // Only time, device and kind: the labels are not given to the attack. A kind it never heard of is read as other.
  const lines = readFileSync(path.join(sim, 'events.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const csv = path.join(dir, 'uses.csv');
  writeFileSync(csv, ['kind,device,time', ...lines.map((c) => `${c[3]},${c[2]},${c[1]}`), 'fridge,=cmd|x,1793610000'].join('\n') + '\n');
  const r = peephole(['attack', csv, '--model', model, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { uses: number; activities: { activity: string; confidence: number; uses: { device: string }[] }[] };
  assert.equal(out.uses, lines.length + 1);
  const truth = readFileSync(path.join(sim, 'activities.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[3]);
  const found = out.activities.map((a) => a.activity);
  for (const a of ['wake_up', 'leave_home', 'return_home', 'go_to_bed']) assert.ok(found.includes(a), `${a} not found in ${found.join(' ')}`);
  assert.ok(Math.abs(found.length - truth.length) <= 3, `${found.length} activities inferred, ${truth.length} true`);
  const text = peephole(['attack', csv, '--model', model]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^peephole attack: \d+ uses from .*\(kinds read as other: fridge ×1\)/);
  assert.match(text.stdout, /\n2026-11-0\d \d\d:\d\d\s+wake_up\s+0\.\d\d\s+/);
});

/** Timeline macro-F1 of `peephole attack --json` output against a simulation's activities.csv. */
function timelineF1(attackJson: string, simDir: string): number {
  const out = JSON.parse(attackJson) as { activities: { time: string; activity: string }[] };
  const truth = readActivitiesCsv(path.join(simDir, 'activities.csv'));
  const predicted = out.activities.map((a) => ({ timeUs: Date.parse(a.time) * 1000, activity: ACTIVITIES.indexOf(a.activity as (typeof ACTIVITIES)[number]) }));
  return matchTimeline(truth, predicted).macroF1;
}

test('peephole attack with the bundled model (the structured preset) recovers the day of a one-resident home from its capture, and beats the rules floor on the real development homes', (t) => {
  const bundled = path.join(dir, 'bundled');
  const trained = peephole(['train', '--bundled', '--out', bundled]);
  assert.equal(trained.status, 0, trained.stderr);
  assert.match(trained.stdout, /preset structured/);
  const rules = path.join(dir, 'rules-floor');
  assert.equal(peephole(['train', '--preset', 'rules', '--out', rules]).status, 0);
  // A one-resident home from its encrypted traffic alone (a home none of the priors came from).
  const home = path.join(dir, 'random-capture');
  assert.equal(peephole(['simulate', '--home', 'random:103', '--days', '7', '--seed', '21', '--out', home]).status, 0);
  const onCapture = peephole(['attack', path.join(home, 'capture.pcapng'), '--json'], { PEEPHOLE_BUNDLED_MODEL: bundled });
  assert.equal(onCapture.status, 0, onCapture.stderr);
  const captureF1 = timelineF1(onCapture.stdout, home);
  const captureRules = timelineF1(peephole(['attack', path.join(home, 'capture.pcapng'), '--json', '--model', rules]).stdout, home);
  t.diagnostic(`timeline macro-F1 (15 min), random:103 capture: bundled ${captureF1.toFixed(3)} rules ${captureRules.toFixed(3)}`);
  assert.ok(captureF1 >= 0.4, `random:103 capture: ${captureF1}`);
  assert.ok(captureF1 > captureRules, `random:103 capture: bundled ${captureF1}, rules ${captureRules}`);
  // The real labelled homes beside the repository (never trained on): read as a user would, with evaluate.
  const real = path.resolve(REPO_ROOT, '..', 'shared', 'activities');
  if (!existsSync(real)) return t.skip(`${real} is not there`);
  for (const name of ['kasteren_b', 'kasteren_c']) {
    const score = (model: string | null): number => {
      const r = peephole(['evaluate', ...(model === null ? [] : ['--model', model]), '--events', path.join(real, name, 'events.csv'), '--labels', path.join(real, name, 'labels.csv'), '--tolerance', '30', '--json'], { PEEPHOLE_BUNDLED_MODEL: bundled });
      assert.equal(r.status, 0, r.stderr);
      return (JSON.parse(r.stdout) as { tolerances: { macroF1: number }[] }).tolerances[0].macroF1;
    };
    const [ours, floor] = [score(null), score(rules)];
    t.diagnostic(`timeline macro-F1 (30 min), ${name}: bundled ${ours.toFixed(3)} rules ${floor.toFixed(3)}`);
    assert.ok(ours >= 0.7 && ours > floor, `${name}: bundled ${ours}, rules ${floor}`);
  }
});

test('peephole attack --known sets the kind of a device whose maker makes many kinds of things', () => {
  const rules = path.join(dir, 'rules-known');
  assert.equal(peephole(['train', '--preset', 'rules', '--out', rules]).status, 0);
  const sim = path.join(dir, 'paper-capture');
  assert.equal(peephole(['simulate', '--home', 'paper', '--days', '2', '--out', sim]).status, 0);
  const capture = path.join(sim, 'capture.pcapng');
  const kinds = (args: string[]): Set<string> => {
    const r = peephole(['attack', capture, '--json', '--model', rules, ...args]);
    assert.equal(r.status, 0, r.stderr);
    return new Set((JSON.parse(r.stdout) as { activities: { uses: { kind: string }[] }[] }).activities.flatMap((a) => a.uses.map((u) => u.kind)));
  };
  // Tuya's cloud serves plugs, bulbs and sensors alike: by its names alone the light is "other".
  assert.ok(!kinds([]).has('light'));
  const known = path.join(dir, 'known.tsv');
  writeFileSync(known, '192.168.1.21\thall light\tTuya\tlight\n');
  assert.ok(kinds(['--known', known]).has('light'));
  const bad = path.join(dir, 'bad-known.tsv');
  writeFileSync(bad, '192.168.1.21\thall light\tTuya\tlamp\n');
  const r = peephole(['attack', capture, '--model', rules, '--known', bad]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad-known\.tsv:1: unknown category "lamp"/);
});

test('peephole attack reads an events CSV of 200,000 uses in bounded memory: it runs in a 64 MB JavaScript heap', () => {
  // Reading all the uses at once (the file's text, its CSV records, the uses and their copies)
  // needed more than 128 MB of heap here; a block of uses at a time, it needs under 32 MB.
  const model = path.join(dir, 'sequence-small');
  assert.equal(peephole(['train', '--preset', 'sequence', '--home', 'family', '--days', '4', '--epochs', '1', '--out', model]).status, 0);
  const sim = path.join(dir, 'sensor-rich-years');
  assert.equal(peephole(['simulate', '--home', 'sensor-rich', '--days', '2600', '--seed', '3', '--format', 'none', '--out', sim]).status, 0);
  const events = path.join(sim, 'events.csv');
  const rows = readFileSync(events, 'utf8').split('\n').length - 2;
  assert.ok(rows >= 200_000, `${rows} uses`);
  const r = spawnSync(process.execPath, ['--max-old-space-size=64', PEEPHOLE_BIN, 'attack', events, '--model', model], { cwd: REPO_ROOT, maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr.toString().slice(-400));
  const out = r.stdout.toString();
  assert.match(out, new RegExp(`^peephole attack: ${rows} uses from `));
  // The day runs to the record's end: at least one activity a day, the last on its last day. (How
  // many a day is the one-epoch network's: 21 lines a day of the years with the homes' noise drawn
  // per home, 2.4 with the noise residents make drawn per resident up.)
  const lines = out.trim().split('\n');
  assert.ok(lines.length > 2600, `${lines.length} lines: an activity for every day of the years`);
  const lastUse = readFileSync(events, 'utf8').trim().split('\n').at(-1)!.slice(0, 10);
  assert.equal(lines.at(-1)!.slice(0, 10), lastUse, 'the last activity on the record\'s last day');
});

test('peephole attack --residents N reads N residents with the structured preset: 1 is the home as one, more add the others\' transitions; another preset is refused', () => {
  const bundled = path.join(dir, 'bundled-residents');
  assert.equal(peephole(['train', '--bundled', '--out', bundled]).status, 0);
  const sim = path.join(dir, 'sim-couple');
  assert.equal(peephole(['simulate', '--home', 'couple-shifts', '--days', '4', '--format', 'none', '--out', sim]).status, 0);
  const lines = readFileSync(path.join(sim, 'events.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const csv = path.join(dir, 'couple-uses.csv');
  writeFileSync(csv, ['time,device,kind', ...lines.map((c) => `${c[1]},${c[2]},${c[3]}`)].join('\n') + '\n');
  const run = (extra: string[]): ReturnType<typeof peephole> => peephole(['attack', csv, '--model', bundled, '--json', ...extra]);
  const home = run(['--residents', '1']);
  assert.equal(home.status, 0, home.stderr);
  assert.deepEqual((JSON.parse(home.stdout) as { residents: unknown }).residents, { residents: 1, basis: 'given (--residents 1)' });
  const wakes = (out: string): number => (JSON.parse(out) as { activities: { activity: string }[] }).activities.filter((a) => a.activity === 'wake_up').length;
  const two = run(['--residents', '2']);
  assert.equal(two.status, 0, two.stderr);
  // Each of the home's wakings after a night it saw whole is two residents' (the record's first and last waking segments are the home's alone).
  assert.ok(wakes(two.stdout) >= 2 * wakes(home.stdout) - 2 && wakes(two.stdout) > wakes(home.stdout), `${wakes(home.stdout)} wake_ups read as one, ${wakes(two.stdout)} as two`);
  // A folder built before the count decoder (no residentRates): several residents are still read, with a warning.
  const old = path.join(dir, 'bundled-before-counting');
  cpSync(bundled, old, { recursive: true });
  const structure = JSON.parse(readFileSync(path.join(old, 'structure.json'), 'utf8')) as Record<string, unknown>;
  assert.ok('residentRates' in structure);
  delete structure.residentRates;
  writeFileSync(path.join(old, 'structure.json'), JSON.stringify(structure));
  const manifest = JSON.parse(readFileSync(path.join(old, 'peephole-model.json'), 'utf8')) as { files: Record<string, string> };
  manifest.files['structure.json'] = createHash('sha256').update(readFileSync(path.join(old, 'structure.json'))).digest('hex');
  writeFileSync(path.join(old, 'peephole-model.json'), JSON.stringify(manifest));
  const oldTwo = peephole(['attack', csv, '--model', old, '--json', '--residents', '2']);
  assert.equal(oldTwo.status, 0, oldTwo.stderr);
  assert.match(oldTwo.stderr, /^peephole attack: warning: .*bundled-before-counting was built before residents were counted \(no residentRates in its structure\.json\): .*peephole train --bundled$/m);
  assert.equal(peephole(['attack', csv, '--model', old, '--json', '--residents', '1']).stderr, '');
  assert.equal(two.stderr, '');
  const rules = path.join(dir, 'rules-residents');
  assert.equal(peephole(['train', '--preset', 'rules', '--out', rules]).status, 0);
  const refused = peephole(['attack', csv, '--model', rules, '--residents', '2']);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^peephole: --residents 2: only the structured preset reads several residents, and .*rules-residents holds the rules preset$/m);
  assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
  const zero = peephole(['attack', csv, '--model', bundled, '--residents', '0']);
  // A usage error, as every option's bad value (exit 2).
  assert.equal(zero.status, 2);
  assert.match(zero.stderr, /^peephole: --residents needs auto or a whole number from 1 to 10, got "0"$/m);
  for (const bad of ['two', '2.5', '-1', '11', 'AUTO']) {
    const r = peephole(['attack', csv, '--model', bundled, '--residents', bad]);
    assert.equal(r.status, 2, bad);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(r.stderr.trim(), `peephole: --residents needs auto or a whole number from 1 to 10, got "${bad}"`);
  }
});

test('peephole attack estimates the number of residents by default (--residents auto) and says so, in text and JSON', () => {
  const bundled = path.join(dir, 'bundled-auto');
  assert.equal(peephole(['train', '--bundled', '--out', bundled]).status, 0);
  // A home of one who goes out to work every weekday (the paper home) and the sensor-rich home of two, 7 days each.
  const read = (home: string): { json: { residents: { residents: number; basis: string; probabilities?: number[] }; activities: unknown[] }; text: string } => {
    const sim = path.join(dir, `sim-auto-${home}`);
    assert.equal(peephole(['simulate', '--home', home, '--days', '7', '--seed', '7', '--format', 'none', '--out', sim]).status, 0);
    const lines = readFileSync(path.join(sim, 'events.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const csv = path.join(dir, `auto-${home}.csv`);
    writeFileSync(csv, ['time,device,kind', ...lines.map((c) => `${c[1]},${c[2]},${c[3]}`)].join('\n') + '\n');
    const json = peephole(['attack', csv, '--model', bundled, '--json']);
    assert.equal(json.status, 0, json.stderr);
    assert.equal(peephole(['attack', csv, '--model', bundled, '--json', '--residents', 'auto']).stdout, json.stdout);
    const text = peephole(['attack', csv, '--model', bundled]);
    assert.equal(text.status, 0, text.stderr);
    return { json: JSON.parse(json.stdout), text: text.stdout };
  };
  const one = read('paper');
  assert.equal(one.json.residents.residents, 1, one.json.residents.basis);
  assert.match(one.json.residents.basis, /^estimated from the uses: P\(1\.\.5 residents\) /);
  assert.equal(one.json.residents.probabilities!.length, 5);
  assert.match(one.text.split('\n')[1], /^residents: 1, estimated from the uses: P\(1\.\.5 residents\) [0-9. ]+ from home out \d+% of [\d.]+ days/);
  const two = read('sensor-rich');
  assert.ok(two.json.residents.residents >= 2, two.json.residents.basis);
  assert.match(two.text.split('\n')[1], new RegExp(`^residents: ${two.json.residents.residents}, estimated from the uses`));
});
