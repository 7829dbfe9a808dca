// For tests: makes sure the loopback recordings exist (running scripts/record-loopback.ts, which caches
// them) and returns their manifest; skips outside CI and fails in CI when root or a tool is missing.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { CaptureFormat } from './capture-formats.js';
import { EXIT_MISSING_PREREQUISITES } from './loopback/exit-codes.js';
import { readManifest } from './loopback/manifest.js';
import type { LoopbackManifest } from './loopback/manifest.js';
import type { RecordingPlan } from './loopback/plan.js';
import { requireOrSkip } from './oracle.js';
import { LOOPBACK_CACHE_DIR, RECORD_LOOPBACK_SCRIPT, REPO_ROOT } from './paths.js';

const RECORD_TIMEOUT_MS = 120_000;

export type RecordingsResult =
  | { readonly ok: true; readonly manifest: LoopbackManifest }
  | { readonly ok: false; readonly missingPrerequisites: boolean; readonly message: string };

let memo: RecordingsResult | null = null;

/** Runs the recording script once per process (it returns at once when its cache is current). */
export function recordLoopback(): RecordingsResult {
  if (memo !== null) return memo;
  const run = spawnSync(process.execPath, ['--import', 'tsx', RECORD_LOOPBACK_SCRIPT], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: RECORD_TIMEOUT_MS,
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
  if (run.status !== 0) {
    memo = {
      ok: false,
      missingPrerequisites: run.status === EXIT_MISSING_PREREQUISITES,
      message: `scripts/record-loopback.ts failed (exit ${run.status ?? run.signal}): ${output}`,
    };
    return memo;
  }
  const manifest = readManifest(LOOPBACK_CACHE_DIR);
  memo =
    manifest === null
      ? { ok: false, missingPrerequisites: false, message: `scripts/record-loopback.ts left no usable manifest.json in ${LOOPBACK_CACHE_DIR}` }
      : { ok: true, manifest };
  return memo;
}

/** The manifest, or null after skipping `t` (root or a tool missing, not in CI); throws on any other failure. */
export function loopbackManifestOrSkip(t: TestContext): LoopbackManifest | null {
  const result = recordLoopback();
  if (result.ok) return result.manifest;
  if (result.missingPrerequisites) {
    requireOrSkip(t, false, result.message);
    return null;
  }
  throw new Error(result.message);
}

/** File name of a recording in a format, inside the cache folder. */
export function recordingFileName(plan: RecordingPlan, format: CaptureFormat): string {
  return `${plan.name}${format.suffix}`;
}

/** Absolute path of a recording in a format; throws when the manifest does not list it. */
export function recordingPath(manifest: LoopbackManifest, plan: RecordingPlan, format: CaptureFormat): string {
  const name = recordingFileName(plan, format);
  if (!manifest.files.some((entry) => entry.file === name)) {
    throw new Error(`the loopback manifest lists no ${name} (it has: ${manifest.files.map((entry) => entry.file).join(', ')})`);
  }
  return path.join(LOOPBACK_CACHE_DIR, name);
}
