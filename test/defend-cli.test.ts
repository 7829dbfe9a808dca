// `peephole defend` end to end, with the observer's own commands on what it writes: `peephole devices`
// sees the tunnel's box as the one device and no DNS name under encrypted DNS; `peephole attack` reads
// a defended events CSV; the cost is printed; bad parameters are usage errors (exit 2), a capture it
// cannot defend is bad input (exit 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-defend-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function peephole(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [PEEPHOLE_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const home = path.join(dir, 'home');
const sim = peephole('simulate', '--home', 'paper', '--days', '1', '--seed', '3', '--out', home);
assert.equal(sim.status, 0, sim.stderr);
const capture = path.join(home, 'capture.pcapng');
const events = path.join(home, 'events.csv');

test('a tunnel: the cost printed, and peephole devices sees the box and the router', () => {
  const out = path.join(dir, 'tunnel.pcapng');
  const r = peephole('defend', capture, '--strategy', 'tunnel', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^peephole defend: tunnel \(scope=home\) on .*capture\.pcapng, capture \(LAN\), seed 1\n/);
  assert.match(r.stdout, /\n {2}traffic {4}[+-][\d,]+ frames, [+-][\d.]+ [kM]?B over 1\.00 days: .* a day, .*\/s, [+-][\d.]+% of the traffic, [+-][\d.]+ MB a month\n/);
  assert.match(r.stdout, /\n {2}ledger {5}tunnel messages: \+[\d,]+ frames/);
  const devices = peephole('devices', out, '--json');
  assert.equal(devices.status, 0, devices.stderr);
  const list = JSON.parse(devices.stdout).devices as { id: string; category: string | null }[];
  assert.deepEqual(list.map((d) => d.category === 'router' ? 'router' : d.id).sort(), ['02:70:65:65:70:01', 'router']);
});

test('encrypted DNS: peephole devices finds no DNS query, and names each vendor from its TLS server names', () => {
  const out = path.join(dir, 'dot.pcapng');
  const r = peephole('defend', capture, '--strategy', 'encrypted-dns', '--param', 'idle=600', '--out', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const cost = JSON.parse(r.stdout);
  assert.equal(cost.strategy, 'encrypted-dns');
  assert.ok(cost.ledger.entries['plain DNS'].frames < 0 && cost.ledger.entries['DNS over TLS'].frames > 0);
  const devices = JSON.parse(peephole('devices', out, '--json', '--evidence').stdout).devices as { category: string | null; vendor: string | null; evidence: { kind: string }[] }[];
  for (const d of devices.filter((x) => x.category !== 'router')) {
    assert.ok(!d.evidence.some((e) => e.kind === 'dns_query'));
    assert.notEqual(d.vendor, null);
  }
});

test('an events CSV defended with cover: cover marked, every real use kept, and peephole attack reads it', () => {
  const out = path.join(dir, 'cover.csv');
  const r = peephole('defend', events, '--strategy', 'random-cover', '--param', 'perDay=8', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const rows = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(rows[0], 'time,time_epoch,device,kind,cause,lived_time_epoch');
  const lived = readFileSync(events, 'utf8').trim().split('\n').length - 1;
  const cover = rows.filter((l) => l.split(',')[4] === 'cover');
  assert.equal(rows.length - 1 - cover.length, lived);
  assert.ok(cover.length > 0);
  assert.match(r.stdout, new RegExp(`\\n  uses       ${lived} real \\(none moved\\), ${cover.length} cover\\n`));
  const attack = peephole('attack', out);
  assert.equal(attack.status, 0, attack.stderr);
  assert.match(attack.stdout, new RegExp(`^peephole attack: ${rows.length - 1} uses from `));
});

test('mistakes: a parameter the strategy lacks or a bad value is a usage error; a strategy on packets for an events CSV, or a Wi-Fi capture, is bad input', () => {
  const out = path.join(dir, 'x.pcapng');
  let r = peephole('defend', capture, '--strategy', 'pad', '--param', 'size=3', '--out', out);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'peephole: pad has no parameter "size": it has mode, bucket\n');
  r = peephole('defend', capture, '--strategy', 'stp', '--param', 'ratio=-1', '--out', out);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'peephole: stp ratio must be from 0 to 100, got "-1"\n');
  r = peephole('defend', events, '--strategy', 'tunnel', '--out', path.join(dir, 'x.csv'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^peephole: .*events\.csv: tunnel changes packets, and an events CSV has none/);
  const wifi = path.join(dir, 'wifi');
  assert.equal(peephole('simulate', '--home', 'paper', '--days', '1', '--vantage', 'wifi', '--out', wifi).status, 0);
  r = peephole('defend', path.join(wifi, 'capture.pcapng'), '--strategy', 'pad', '--out', out);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^peephole: .*capture\.pcapng: defending with pad rewrites Ethernet frames \(a LAN or WAN capture\); this capture has /);
});

test('defend evaluate: its own --out (after the subcommand), one line per finished strategy without a terminal, the frontier written', () => {
  const out = path.join(dir, 'evaluate');
  const r = peephole('defend', 'evaluate', '--home', 'paper', '--strategies', 'tunnel,pad,encrypted-dns+ech', '--train-days', '3', '--test-days', '2', '--epochs', '2', '--target', '0.5', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(
    r.stderr.trim().split('\n').map((l) => l.replace(/\(\d+ point\(s\), \d+ s\)/, '(…)')),
    ['peephole defend evaluate: tunnel done (…)', 'peephole defend evaluate: pad done (…)', 'peephole defend evaluate: encrypted-dns+ech done (…)'],
  );
  // A combination is one point, and the identification says no device is named by what it said.
  assert.match(r.stdout, /\n {2}encrypted-dns\+ech: \d+ device\(s\), vendors [^;]+; 0 named by what they said/);
  assert.match(r.stdout, /^Defences on the home "paper" \(seed 1\)/);
  assert.match(r.stdout, /\n {2}tunnel scope=home +\d\.\d{3}/);
  assert.match(r.stdout, /\nRecommendation: /);
  const csv = readFileSync(path.join(out, 'frontier.csv'), 'utf8').trim().split('\n');
  assert.equal(csv.length, 1 + 2 + 6 + 1, 'two tunnel scopes, six pad buckets and the combination');
  const bad = peephole('defend', 'evaluate', '--home', 'paper', '--strategies', 'nope', '--out', out);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^peephole: no strategy "nope"/);
});
