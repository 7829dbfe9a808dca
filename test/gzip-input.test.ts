// gzip captures at the command line, made by gzip(1) from the real captures in ../shared/captures:
// every command that reads a capture prints what it could read of a damaged .gz, then one line
// naming the damage with its offset and the decompressed byte count (exit 1); a .gz cut inside its
// header says so; a large .gz leaves stderr empty. And damage in the middle of a capture counts the
// records before it apart from those after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32Table as crc32 } from '../src/capture/gzip.js';
import { PEEPHOLE_BIN, REPO_ROOT, SHARED_CAPTURES_DIR } from './support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-gzip-'));
const at = (name: string): string => path.join(dir, name);

function peephole(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [PEEPHOLE_BIN, ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** `gzip -c FILE`: what a user makes; the header holds the file name. */
function gzipTool(file: string): Buffer {
  const r = spawnSync('gzip', ['-c', file], { maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr?.toString());
  return r.stdout;
}

// The rules preset: a model folder of a manifest alone, enough for attack to read a capture.
const rulesModel = at('rules-model');
assert.equal(peephole(['train', '--preset', 'rules', '--out', rulesModel]).status, 0);

/** Every command that reads a capture, and what its output must hold when it read `packets` packets. */
const COMMANDS: { args: (file: string) => string[]; printed: (stdout: string, packets: number) => void }[] = [
  { args: (f) => ['packets', f], printed: (out, n) => assert.equal(out.split('\n').length - 2, n) },
  { args: (f) => ['inspect', f], printed: (out, n) => assert.match(out, new RegExp(`\\nPackets +${n.toLocaleString('en-US')}\\n`)) },
  { args: (f) => ['devices', f], printed: (out) => assert.match(out, /\d+ device\(s\)|\n {2}[0-9a-f]{2}:[0-9a-f]{2}:/) },
  { args: (f) => ['timeline', f, '--csv', '-'], printed: (out) => assert.match(out, /^time_utc,device,label,bytes\n.+,\d+\n/) },
  { args: (f) => ['attack', f, '--model', rulesModel], printed: (out) => assert.match(out, /^peephole attack: \d+ uses found in /) },
];

/** Exit 1 and exactly one line on stderr matching `line`, no stack trace. */
function oneLine(r: { status: number | null; stderr: string }, line: RegExp, what: string): void {
  assert.equal(r.status, 1, `${what}\n${r.stderr}`);
  assert.ok(r.stderr.endsWith('\n'), `${what}\n${r.stderr}`);
  const lines = r.stderr.slice(0, -1).split('\n');
  assert.equal(lines.length, 1, `${what}: not one line\n${r.stderr}`);
  assert.match(lines[0], line, what);
  assert.doesNotMatch(r.stderr, /^\s+at /m, what);
}

test('a .gz of over 2 MB is read with nothing on stderr (no listener warning)', () => {
  const plain = path.join(SHARED_CAPTURES_DIR, 'tls-bulk-sni-browsing.pcap');
  const gz = gzipTool(plain);
  assert.ok(gz.length > 2_000_000, `${gz.length} bytes`);
  writeFileSync(at('large.pcap.gz'), gz);
  for (const args of [['packets', at('large.pcap.gz')], ['inspect', at('large.pcap.gz')]]) {
    const r = peephole(args);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', args.join(' '));
  }
  assert.equal(peephole(['packets', at('large.pcap.gz')]).stdout, peephole(['packets', plain]).stdout);
});

test('a .gz with a wrong CRC-32: every command prints what it read, then one line with all the decompressed bytes counted', () => {
  const plain = readFileSync(path.join(SHARED_CAPTURES_DIR, 'iot-sentinel-dlink-cam-setup.pcap'));
  const gz = gzipTool(path.join(SHARED_CAPTURES_DIR, 'iot-sentinel-dlink-cam-setup.pcap'));
  const trailer = gz.length - 8;
  const stored = gz.readUInt32LE(trailer);
  gz.writeUInt32LE((stored ^ 0x0100) >>> 0, trailer);
  const file = at('bad-crc.pcap.gz');
  writeFileSync(file, gz);
  const hex = (n: number): string => '0x' + n.toString(16).padStart(8, '0');
  assert.equal(crc32(plain), stored);
  const expected =
    `peephole: ${file}: corrupt gzip data: the CRC-32 of the ${plain.length} decompressed bytes is ${hex(stored)}, ` +
    `the trailer at offset ${trailer} says ${hex((stored ^ 0x0100) >>> 0)}; the 624 record(s) before were read`;
  for (const command of COMMANDS) {
    const args = command.args(file);
    const r = peephole(args);
    oneLine(r, /./, args.join(' '));
    assert.equal(r.stderr, expected + '\n', args.join(' '));
    command.printed(r.stdout, 624);
  }
});

test('a .gz cut inside its 10-byte header, or inside the file name gzip(1) writes after it, says the gzip header is cut and where', () => {
  const gz = gzipTool(path.join(SHARED_CAPTURES_DIR, 'iot-sentinel-dlink-cam-setup.pcap'));
  assert.equal(gz.indexOf(0, 10), 10 + 'iot-sentinel-dlink-cam-setup.pcap'.length);
  const cases: [number, RegExp][] = [
    [5, /The gzip stream ends inside the gzip header: need 10 bytes at offset 0, have 5$/],
    [20, /The gzip stream ends inside the gzip header: its file name from offset 10 has no end by offset 20$/],
  ];
  for (const [cut, message] of cases) {
    const file = at(`cut-${cut}.pcap.gz`);
    writeFileSync(file, gz.subarray(0, cut));
    for (const command of COMMANDS) {
      const args = command.args(file);
      const r = peephole(args);
      oneLine(r, new RegExp(`^peephole: ${file.replace(/[.]/g, '\\.')}: ${message.source}`), args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  }
});

test('damage in the middle of a capture: the records before it are counted apart from those after it', () => {
  const bytes = readFileSync(path.join(SHARED_CAPTURES_DIR, 'iot-tuya-plug-boot-anon.pcap'));
  // Record 100's captured length made absurd: the reader steps over it to the next plausible header.
  let p = 24;
  for (let i = 0; i < 100; i++) p += 16 + bytes.readUInt32LE(p + 8);
  bytes.writeUInt32LE(0x7fff0000, p + 8);
  const file = at('middle.pcap');
  writeFileSync(file, bytes);
  const r = peephole(['packets', file]);
  const rows = r.stdout.split('\n').length - 2;
  oneLine(r, new RegExp(`^peephole: .*middle\\.pcap: 1 damaged record\\(s\\) skipped \\(\\d+ bytes\\), first at offset ${p}: .*; the 100 record\\(s\\) before were read, and ${rows - 100} after$`), 'packets');
  assert.equal(rows, 177);
  // The same in a .gz: the record damage, then the gzip stream's.
  const gz = gzipTool(file);
  gz.writeUInt32LE((gz.readUInt32LE(gz.length - 4) + 1) >>> 0, gz.length - 4);
  writeFileSync(at('middle.pcap.gz'), gz);
  const z = peephole(['inspect', at('middle.pcap.gz')]);
  oneLine(z, new RegExp(`first at offset ${p}: .*; corrupt gzip data: ${bytes.length} bytes decompressed, the trailer at offset ${gz.length - 4} says ${bytes.length + 1}; the 100 record\\(s\\) before were read, and 77 after$`), 'inspect');
  assert.match(z.stdout, /\nPackets +177\n/);
});
