// peephole against tshark on the generated captures (test/fixtures/corner-cases.ts): every supported
// link type and the network, DNS and TLS corner cases, each in pcap (µs, little-endian), pcap (ns,
// big-endian) and pcapng (two sections, if_tsresol 2^-30 and 10^-9). tshark must read each file
// without a warning, and `peephole packets` must print its table cell for cell, except for the known
// differences (fixtures/known-differences.ts), which must differ exactly as listed.
// Needs `npm run build` first (the harness runs the compiled command).
import { describe, it, test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { readCapture } from '../src/capture/reader.js';
import { GENERATED_CACHE_DIR, generatedCaptures } from './fixtures/corner-cases.js';
import { captureBytes, capturePath, writeCaptureFiles, type GeneratedCapture, type GeneratedFormat } from './fixtures/generated-capture.js';
import { KNOWN_DIFFERENCES } from './fixtures/known-differences.js';
import { ORACLE_FIELDS, compareTables, formatMismatches, parseTsv, requireTshark, tsharkFieldArgs, type FieldTable } from './support/oracle.js';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/** tshark runs one at a time per core. */
const PARALLEL_RUNS = 2;
/** The one stderr line tshark prints for every run as root. */
const ROOT_WARNING = /^Running as user "root" and group "root"\. This could be dangerous\.$/;

interface Run {
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** tshark's table for the file, and its stderr without the root warning line. */
async function tsharkTable(file: string): Promise<{ table: FieldTable; warnings: string[] }> {
  const { stdout, stderr } = await run('tshark', ['-r', file, ...tsharkFieldArgs(ORACLE_FIELDS)]);
  const warnings = stderr.split('\n').filter((line) => line.trim() !== '' && !ROOT_WARNING.test(line));
  return { table: parseTsv(stdout), warnings };
}

async function peepholeTable(file: string): Promise<FieldTable> {
  return parseTsv((await run(process.execPath, [PEEPHOLE_BIN, 'packets', file])).stdout);
}

const captures = generatedCaptures();
const files = captures.flatMap((capture) => writeCaptureFiles(GENERATED_CACHE_DIR, capture).map((f) => ({ capture, ...f })));

test('the generated captures have distinct names and hold frames', () => {
  assert.equal(new Set(captures.map((c) => c.name)).size, captures.length);
  for (const c of captures) assert.ok(c.frames.length > 0, `${c.name} has no frames`);
});

test('each generated pcapng holds two sections, the second in big-endian order, with 2^-30 s and 10^-9 s timestamps', async () => {
  for (const capture of [captures[0], captures.at(-1)!]) {
    const file = capturePath(GENERATED_CACHE_DIR, capture, 'pcapng');
    const summary = await readCapture(file, () => {});
    assert.deepEqual(
      summary.sections.map((s) => s.byteOrder),
      ['le', 'be'],
    );
    const used = summary.interfaces.filter((i) => i.packets > 0).map((i) => i.tsresol);
    assert.deepEqual(used, [
      { base: 2, exponent: 30 },
      { base: 10, exponent: 9 },
    ]);
    assert.equal(summary.records, capture.frames.length);
  }
});

test('writing a generated capture twice gives the same bytes (the fixtures are deterministic)', () => {
  const again = generatedCaptures();
  for (const [i, capture] of captures.entries()) {
    for (const format of ['pcap-us-le', 'pcap-ns-be', 'pcapng'] as GeneratedFormat[]) {
      assert.deepEqual(captureBytes(again[i], format), captureBytes(capture, format), `${capture.name} ${format}`);
    }
  }
});

async function checkAgainstTshark(t: TestContext, capture: GeneratedCapture, file: string): Promise<void> {
  if (!requireTshark(t)) return;
  const [{ table: expected, warnings }, actual] = await Promise.all([tsharkTable(file), peepholeTable(file)]);
  assert.deepEqual(warnings, [], `tshark warns about ${path.basename(file)}`);
  assert.equal(expected.rows.length, capture.frames.length, `tshark reads ${expected.rows.length} of ${capture.frames.length} frames from ${path.basename(file)}`);
  const mismatches = compareTables(expected, actual);
  assert.equal(mismatches.length, 0, `${path.basename(file)} (${capture.about}): ${formatMismatches(mismatches)}`);
}

describe('peephole packets prints the same table as tshark for every generated capture', { concurrency: PARALLEL_RUNS }, () => {
  for (const { capture, format, file } of files) {
    it(`${capture.name} as ${format}: ${capture.about}`, (t) => checkAgainstTshark(t, capture, file));
  }
});

describe('peephole packets differs from tshark on the known differences exactly as listed', { concurrency: PARALLEL_RUNS }, () => {
  for (const difference of KNOWN_DIFFERENCES) {
    const [{ file }] = writeCaptureFiles(GENERATED_CACHE_DIR, difference.capture);
    it(`${difference.capture.name}: ${difference.why}`, async (t) => {
      if (!requireTshark(t)) return;
      const [{ table: expected, warnings }, actual] = await Promise.all([tsharkTable(file), peepholeTable(file)]);
      assert.deepEqual(warnings, [], `tshark warns about ${path.basename(file)}`);
      const want = difference.expectedMismatches(actual);
      assert.ok(want.length > 0, 'the known difference is gone: move this capture to corner-cases.ts');
      assert.deepEqual(compareTables(expected, actual), want, formatMismatches(compareTables(expected, actual)));
    });
  }
});
