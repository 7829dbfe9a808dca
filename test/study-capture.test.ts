// `peephole study --capture`: the observer's half on a user's own capture. On a short simulated
// capture with hostile names planted in it (an HTML tag as a DNS name, a DHCP host name that closes a
// script, a TLS server name with an event handler) and a --known file with markup and a bidi override
// in it, report.html shows every name as text and runs nothing; on a small real capture it says what
// was inferred, with confidence, and claims no accuracy anywhere.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CAPTURE_SECTIONS } from '../src/report/study-html.js';
import { CAPTURE_STAGES } from '../src/study/settings.js';
import { chromiumMissing, closeBrowser, figureSizes, openReport, type OpenedReport } from './support/browser.js';
import { HOSTILE, hostileCapture } from './support/hostile-capture.js';
import { PEEPHOLE_BIN, REPO_ROOT, SHARED_CAPTURES_DIR } from './support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-study-capture-'));
const browserMissing = chromiumMissing();
const REAL = path.join(SHARED_CAPTURES_DIR, 'iot-emerson-thermostat-presses.pcap');

/** A vendor a user typed into --known, with markup and a bidi override that would reorder the line. */
const KNOWN_VENDOR = '<b>Acme\u202e</b>';

function study(args: string[]) {
  return spawnSync(process.execPath, [PEEPHOLE_BIN, 'study', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

/** What a page claims as a score: an accuracy, a precision, a recall, an F1, or "N of M right". */
const SCORE_CLAIM = /\b(accuracy|precision|recall|F1)\b[^.\n]{0,20}\d|\d+(\.\d+)?\s*%\s*(right|correct|accura)|\b\d+ of \d+ (right|correct)/i;

async function checkPage(file: string): Promise<{ page: OpenedReport; text: string }> {
  const page = await openReport(file);
  assert.deepEqual(page.requests, [], 'no request leaves the page');
  assert.deepEqual(page.problems, []);
  assert.deepEqual(page.violations, []);
  assert.deepEqual(page.dialogs, [], 'no script ran');
  const sections = (await page.page.evaluate("[...document.querySelectorAll('main > section')].map((s) => s.id)")) as string[];
  assert.deepEqual(sections, [...CAPTURE_SECTIONS]);
  const figures = await figureSizes(page.page);
  assert.deepEqual(figures.map((f) => f.id), ['fig-traffic', 'fig-days']);
  for (const f of figures) assert.ok(f.width > 100 && f.height > 50 && f.paths > 3 && f.texts > 3, JSON.stringify(f));
  const live = (await page.page.evaluate("document.querySelectorAll('script, img, iframe, object, embed, link, [onerror], [onload], [onclick]').length")) as number;
  assert.equal(live, 0, 'no element that runs or loads anything');
  // All the page's text, the evidence folded in <details> included.
  const text = (await page.page.evaluate('document.body.textContent')) as string;
  // No defence is scored on a capture without truth; the section says why and where they are.
  const defences = (await page.page.evaluate("document.querySelector('#defences').textContent")) as string;
  assert.match(defences, /Not measured here: a defence is scored by how much of what really happened it hides, which only a simulated home knows/);
  assert.match(defences, /peephole defend evaluate --home NAME/);
  return { page, text };
}

let hostile: string;
let known: string;
/** The model that infers the day: the rules preset, written here (a checkout has no bundled model until `peephole train --bundled`). */
const model = path.join(dir, 'rules-model');
before(async () => {
  const trained = spawnSync(process.execPath, [PEEPHOLE_BIN, 'train', '--preset', 'rules', '--out', model], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(trained.status, 0, trained.stderr);
  hostile = await hostileCapture(dir);
  known = path.join(dir, 'known.tsv');
  writeFileSync(known, `78:9c:85:12:34:01\tfront door\t${KNOWN_VENDOR}\tlock\n`);
});
after(() => closeBrowser());

test('study --capture on a capture with hostile names: every name shown as text, nothing run, nothing loaded', { skip: browserMissing ?? false }, async () => {
  const out = path.join(dir, 'hostile-report');
  const r = study(['--capture', hostile, '--model', model, '--known', known, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  // Off a terminal: one line per stage with its time, then where the report is.
  const lines = r.stderr.trim().split('\n');
  assert.deepEqual(lines.slice(0, -1).map((l) => l.replace(/ took \d+\.\d s$/, '')), CAPTURE_STAGES.map((s) => `study: ${s.does}`));
  for (const f of ['report.html', 'report.json', 'summary.md', 'devices.json', 'uses.csv', 'inferred-day.txt', 'timeline.csv']) assert.ok(existsSync(path.join(out, f)), f);

  const { page, text } = await checkPage(path.join(out, 'report.html'));
  try {
    for (const name of [HOSTILE.dns, HOSTILE.dhcp, HOSTILE.sni]) assert.ok(text.includes(name), `${name} shown as text`);
    // Control and bidi characters never reach the page: they are shown as escapes.
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
    assert.ok(text.includes('<b>Acme\\u{202e}</b>'), 'the --known vendor as text, its bidi override visible');
    assert.ok(text.includes('beep\\'), 'the terminal escape shown as text');
    assert.match(text, /No ground truth/);
  } finally {
    await page.close();
  }
  const md = readFileSync(path.join(out, 'summary.md'), 'utf8');
  assert.ok(md.includes('\\<b\\>Acme\\\\u{202e}\\</b\\>'), md);
  assert.doesNotMatch(md, /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]|<b>/);
  const json = readFileSync(path.join(out, 'report.json'), 'utf8');
  // Parsed, no string holds a control or bidi character (JSON's own \u escapes would decode to them).
  const strings: string[] = [];
  JSON.parse(json, (_, v: unknown) => (typeof v === 'string' && strings.push(v), v));
  assert.deepEqual(strings.filter((v) => /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(v)), []);
  assert.equal(JSON.parse(json).result.devices.find((d: { id: string }) => d.id === '78:9c:85:12:34:01').vendor, '<b>Acme\\u{202e}</b>');
});

test('study --capture on a small real capture: what was inferred and how sure, and no accuracy claimed', { skip: (browserMissing ?? !existsSync(REAL)) ? (browserMissing ?? 'no ../shared/captures') : false }, async () => {
  const out = path.join(dir, 'real-report');
  const r = study(['--capture', REAL, '--model', model, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
  assert.equal(json.kind, 'capture');
  const result = json.result;
  assert.ok(result.devices.length >= 1 && result.uses.found > 0 && result.inferred.length > 0, JSON.stringify({ devices: result.devices.length, uses: result.uses.found }));
  assert.equal(r.stdout, readFileSync(path.join(out, 'summary.md'), 'utf8'), 'stdout is summary.md');
  const { page, text } = await checkPage(path.join(out, 'report.html'));
  try {
    assert.doesNotMatch(text, SCORE_CLAIM, 'no score claimed on a capture without truth');
    assert.match(text, /claims no accuracy/);
    for (const t of result.inferred) assert.ok(text.includes(t.confidence.toFixed(2)), 'each activity with its confidence');
  } finally {
    await page.close();
  }
  assert.doesNotMatch(readFileSync(path.join(out, 'summary.md'), 'utf8'), SCORE_CLAIM);
  // The claim detector itself: it finds a score where there is one.
  for (const claim of ['accuracy 95.7%', 'macro-F1 0.471', '7 of 8 right', 'precision 0.57']) assert.match(claim, SCORE_CLAIM);
});

test('study --capture: a capture it cannot read or use, and a --from with nothing kept, exit 1 with one line naming the file', () => {
  const missing = study(['--capture', path.join(dir, 'missing.pcap'), '--model', model, '--out', path.join(dir, 'm')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^peephole: .*missing\.pcap: .*no such file/m);
  // A link type no decoder reads (147, USER0): a pcap header and one 4-byte frame.
  const user0 = path.join(dir, 'user0.pcap');
  const header = Buffer.alloc(24 + 16 + 4);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(147, 20);
  header.writeUInt32LE(1_700_000_000, 24);
  header.writeUInt32LE(4, 32);
  header.writeUInt32LE(4, 36);
  writeFileSync(user0, header);
  const w = study(['--capture', user0, '--model', model, '--out', path.join(dir, 'w')]);
  assert.equal(w.status, 1);
  assert.match(w.stderr, /^peephole: .*user0\.pcap: no frame could be decoded \(link type 147, USER 0\): study --capture needs/m);
  const wifi = path.join(SHARED_CAPTURES_DIR, 'wlan-80211-plain-dns-mdns.pcap');
  if (existsSync(wifi)) {
    // A Wi-Fi sniffer's capture is read: devices by MAC.
    const read = study(['--capture', wifi, '--model', model, '--out', path.join(dir, 'wifi')]);
    assert.equal(read.status, 0, read.stderr);
    assert.match(read.stdout, /\| a4:67:06:f7:ec:54 \| Apple \| computer \|/);
  }
  const from = study(['--capture', hostile, '--model', model, '--out', path.join(dir, 'f'), '--from', 'capture-day']);
  assert.equal(from.status, 1);
  assert.match(from.stderr, /^peephole: .*stages\/capture-devices\.json: cannot be read: no such file .*run the study without --from/m);
  for (const r of [missing, w, from]) assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('study --capture on a capture with a packet dated past 2112: the report counts it as left out of the uses', () => {
  const sim = path.join(dir, 'future-sim');
  const made = spawnSync(process.execPath, [PEEPHOLE_BIN, 'simulate', '--home', 'paper', '--days', '1', '--seed', '3', '--out', sim], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  // The 10th enhanced packet block's timestamp gets a high word of 2^30: past 2^52 µs at the simulator's resolution.
  const bytes = readFileSync(path.join(sim, 'capture.pcapng'));
  let at10 = -1;
  for (let off = 0, epbs = 0; off + 8 <= bytes.length; off += bytes.readUInt32LE(off + 4)) {
    if (bytes.readUInt32LE(off) === 6 && ++epbs === 10) {
      at10 = off;
      break;
    }
  }
  assert.ok(at10 > 0);
  bytes.writeUInt32LE(2 ** 30, at10 + 12);
  const future = path.join(dir, 'future.pcapng');
  writeFileSync(future, bytes);
  const out = path.join(dir, 'future-study');
  const r = study(['--capture', future, '--model', model, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(path.join(out, 'report.html'), 'utf8');
  assert.match(html, /<td>packets left out of the uses<\/td><td>1, dated before 1970 or after 2112-09-17<\/td>/);
  // Without such a packet the row is not there.
  const plain = path.join(dir, 'plain-study');
  assert.equal(study(['--capture', path.join(sim, 'capture.pcapng'), '--model', model, '--out', plain]).status, 0);
  assert.doesNotMatch(readFileSync(path.join(plain, 'report.html'), 'utf8'), /packets left out of the uses/);
});

test('study --capture refuses the simulated study\'s options, and --model/--known without it', () => {
  const r = study(['--capture', hostile, '--seed', '3', '--out', path.join(dir, 'x')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^peephole: --seed: not with --capture/m);
  const k = study(['--known', known, '--out', path.join(dir, 'y')]);
  assert.equal(k.status, 2);
  assert.match(k.stderr, /--model and --known go with --capture FILE/);
});
