// `peephole evaluate --events --labels` end to end: a hand-made labelled home (the weekday of
// src/attack/evaluate-labelled.test.ts, whose scores were worked out by hand) scored with the rules
// preset's model folder, in JSON and text, and the command's one-line refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-evaluate-'));

function peephole(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [PEEPHOLE_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DAY_USES = [
  '06:58,bedroom,light', '07:04,echo,speaker', '07:12,kettle,plug', '08:27,bedroom,light', '08:30,front,lock', '08:31,base,alarm',
  '18:02,front,lock', '18:03,base,alarm', '18:05,hall,light', '18:45,kettle,plug', '19:05,heating,thermostat', '19:30,front,lock',
  '19:50,porch,camera', '20:15,door-sensor,contact', '20:16,front,lock', '20:20,hall,light', '21:10,tv,plug', '23:00,hall,light', '23:03,bedroom,light',
];
const events = path.join(dir, 'events.csv');
writeFileSync(events, ['time,device,kind', ...['02', '03'].flatMap((d) => DAY_USES.map((u) => `2026-11-${d}T${u.replace(',', ':00Z,')}`))].join('\n') + '\n');
const labels = path.join(dir, 'labels.csv');
writeFileSync(
  labels,
  [
    'time,activity',
    '2026-11-02T06:58:00Z,wake_up', '2026-11-02T08:27:00Z,leave_home', '2026-11-02T18:02:00Z,return_home', '2026-11-02T19:30:00Z,leave_temporarily', '2026-11-02T23:00:00Z,go_to_bed',
    '2026-11-03T07:20:00Z,wake_up', '2026-11-03T08:27:00Z,leave_home', '2026-11-03T18:02:00Z,return_home', '2026-11-03T19:30:00Z,leave_temporarily', '2026-11-03T20:20:00Z,go_to_bed',
  ].join('\n') + '\n',
);
const rules = path.join(dir, 'rules-model');
const trained = peephole(['train', '--preset', 'rules', '--out', rules]);

test('evaluate --events --labels scores a labelled home at 15 and 30 min', () => {
  assert.equal(trained.status, 0, trained.stderr);
  const r = peephole(['evaluate', '--model', rules, '--events', events, '--labels', labels, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.equal(json.uses, 38);
  assert.equal(json.truth, 10);
  assert.equal(json.inferred, 12);
  assert.deepEqual(json.tolerances.map((t: { toleranceMinutes: number; macroF1: number }) => [t.toleranceMinutes, Number(t.macroF1.toFixed(5))]), [[15, 0.73333], [30, 0.83333]]);
  assert.deepEqual(json.tolerances[0].confusion.counts[4], [0, 0, 1, 0, 1, 0]);
  assert.deepEqual(json.sideBySide[0], { truth: { time: '2026-11-02T06:58:00.000Z', activity: 'wake_up' }, inferred: { time: '2026-11-02T06:58:00.000Z', activity: 'wake_up', confidence: 0.9 } });
});

test('evaluate --events --labels --tolerance scores at that tolerance only, and --out keeps the report', () => {
  const out = path.join(dir, 'report');
  const r = peephole(['evaluate', '--model', rules, '--events', events, '--labels', labels, '--tolerance', '30', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /macro-F1 on the timeline: 0\.833 within 30 min\n/);
  assert.match(r.stdout, /\n2026-11-03\n {4}true +inferred \(confidence\)\n {4}07:20 wake_up +06:58 wake_up 0\.90\n/);
  assert.equal(readFileSync(path.join(out, 'evaluation.txt'), 'utf8') + `\nreport and confusion CSVs written to ${out}\n`, r.stdout);
  assert.equal(readFileSync(path.join(out, 'confusion-timeline-30min.csv'), 'utf8').split('\n')[0], 'true \\ inferred,wake_up,leave_home,return_home,leave_temporarily,go_to_bed,nothing');
});

test('evaluate refuses a half-given labelled home and a bad labels file in one line', () => {
  const half = peephole(['evaluate', '--model', rules, '--events', events]);
  assert.equal(half.status, 2);
  assert.equal(half.stderr, 'peephole: --events and --labels go together: the uses of a labelled home and its true activities\n');
  const bad = path.join(dir, 'bad-labels.csv');
  writeFileSync(bad, 'time,activity\n2026-11-02T06:58:00Z,wake_up\n2026-11-02T07:58:00Z,brunch\n');
  const r = peephole(['evaluate', '--model', rules, '--events', events, '--labels', bad]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `peephole: ${bad}:3: activity "brunch" is none of wake_up, leave_home, return_home, leave_temporarily, go_to_bed\n`);
  const zero = peephole(['evaluate', '--model', rules, '--events', events, '--labels', labels, '--tolerance', '0']);
  assert.equal(zero.status, 2);
  assert.equal(zero.stderr, 'peephole: --tolerance needs a number above 0, got "0"\n');
});
