// The tshark oracle: the table of fields tshark prints for a capture, the same table from
// `peephole packets`, and a cell-by-cell comparison of the two.
import { PACKET_COLUMNS } from '../../src/report/packet-fields.js';
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';
import { PEEPHOLE_BIN, REPO_ROOT } from './paths.js';

/** The columns compared: those `peephole packets` prints, each named as the tshark field it mirrors. */
export const ORACLE_FIELDS = PACKET_COLUMNS;

export type OracleField = (typeof ORACLE_FIELDS)[number];

/** A TSV table: the header row and the data rows, each a list of cells as printed. */
export interface FieldTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** One cell that differs; `frame` is the frame number (0 for the header row). */
export interface CellMismatch {
  readonly frame: number;
  readonly column: string;
  readonly tshark: string;
  readonly peephole: string;
}

const MAX_OUTPUT_BYTES = 1 << 30;
const MISSING = '(missing)';
export const DEFAULT_MISMATCHES_SHOWN = 20;

/** Splits TSV output (header row first) into a table; a trailing newline is not a row. */
export function parseTsv(text: string): FieldTable {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const [header, ...rows] = lines;
  return { columns: header === undefined ? [] : header.split('\t'), rows: rows.map((line) => line.split('\t')) };
}

/** The `-T fields` arguments tshark gets for `fields`: header row, tabs, all occurrences joined by commas. */
export function tsharkFieldArgs(fields: readonly string[]): string[] {
  const args = ['-T', 'fields', '-E', 'header=y', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const field of fields) args.push('-e', field);
  return args;
}

/** Runs `tshark -r file <args>` and returns its stdout; throws with its stderr when it fails. */
export function runTshark(file: string, args: readonly string[]): string {
  const run = spawnSync('tshark', ['-r', file, ...args], { encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES });
  if (run.error !== undefined) throw new Error(`cannot run tshark: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`tshark -r ${file} ${args.join(' ')} failed (exit ${run.status}):\n${run.stderr}`);
  return run.stdout;
}

/** tshark's table of ORACLE_FIELDS for a capture. */
export function tsharkFields(file: string): FieldTable {
  return parseTsv(runTshark(file, tsharkFieldArgs(ORACLE_FIELDS)));
}

/** `node bin/peephole.js packets file` as a table; throws with its stderr when it fails. Needs `npm run build`. */
export function peepholePackets(file: string): FieldTable {
  const run = spawnSync(process.execPath, [PEEPHOLE_BIN, 'packets', file], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES });
  if (run.error !== undefined) throw new Error(`cannot run peephole: ${run.error.message}`);
  if (run.status !== 0) {
    throw new Error(`node bin/peephole.js packets ${file} failed (exit ${run.status}):\n${run.stderr}`);
  }
  return parseTsv(run.stdout);
}

/**
 * Every cell where `actual` (peephole) differs from `expected` (tshark): header cells (frame 0), then data
 * cells row by row, matched by position; a row present on one side only is a mismatch in every column.
 */
export function compareTables(expected: FieldTable, actual: FieldTable): CellMismatch[] {
  const mismatches: CellMismatch[] = [];
  const width = Math.max(expected.columns.length, actual.columns.length);
  for (let column = 0; column < width; column++) {
    const want = expected.columns[column] ?? MISSING;
    const got = actual.columns[column] ?? MISSING;
    if (want !== got) mismatches.push({ frame: 0, column: `#${column + 1}`, tshark: want, peephole: got });
  }
  const height = Math.max(expected.rows.length, actual.rows.length);
  for (let row = 0; row < height; row++) {
    const want = expected.rows[row];
    const got = actual.rows[row];
    const frame = Number(want?.[0] ?? got?.[0] ?? row + 1);
    for (let column = 0; column < width; column++) {
      const wantCell = want === undefined ? MISSING : (want[column] ?? MISSING);
      const gotCell = got === undefined ? MISSING : (got[column] ?? MISSING);
      if (wantCell !== gotCell) {
        const name = expected.columns[column] ?? actual.columns[column] ?? `#${column + 1}`;
        mismatches.push({ frame: Number.isFinite(frame) ? frame : row + 1, column: name, tshark: wantCell, peephole: gotCell });
      }
    }
  }
  return mismatches;
}

/** A readable summary of the first `limit` mismatches, for an assertion message. */
export function formatMismatches(mismatches: readonly CellMismatch[], limit: number = DEFAULT_MISMATCHES_SHOWN): string {
  if (mismatches.length === 0) return 'no mismatching cells';
  const frames = new Set(mismatches.map((m) => m.frame)).size;
  const lines = mismatches
    .slice(0, limit)
    .map((m) => `  frame ${m.frame} ${m.column}: tshark ${JSON.stringify(m.tshark)}, peephole ${JSON.stringify(m.peephole)}`);
  const more = mismatches.length > limit ? `\n  ... and ${mismatches.length - limit} more` : '';
  return `${mismatches.length} mismatching cells in ${frames} frames; first ${Math.min(limit, mismatches.length)}:\n${lines.join('\n')}${more}`;
}

/** True when `tshark -v` runs. */
export function tsharkAvailable(): boolean {
  const run = spawnSync('tshark', ['-v'], { stdio: 'ignore' });
  return run.error === undefined && run.status === 0;
}

/** True when running in CI (`CI=true` or `CI=1`), where missing tools are failures, not skips. */
export function inCi(): boolean {
  return process.env['CI'] === 'true' || process.env['CI'] === '1';
}

/**
 * For a test that needs `what`: returns true when it is there; otherwise fails the test in CI (throws)
 * and skips it elsewhere with `reason`, returning false.
 */
export function requireOrSkip(t: TestContext, available: boolean, reason: string): boolean {
  if (available) return true;
  if (inCi()) throw new Error(`${reason} (CI=true: a missing prerequisite is a failure here)`);
  t.skip(reason);
  return false;
}

/** Test guard for tshark: see requireOrSkip(). */
export function requireTshark(t: TestContext): boolean {
  return requireOrSkip(t, tsharkAvailable(), 'tshark is not installed (apt-get install -y tshark)');
}
