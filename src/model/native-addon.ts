/**
 * Loads the OpenBLAS addon built by `node scripts/build-native.mjs` (native/build/peephole-native.node),
 * once. When it is absent or fails to load, says why, so callers can fall back and report it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeDenseBackend } from './dense-backend.js';

export type NativeAddonStatus =
  | { ok: true; addon: NativeDenseBackend; path: string }
  | { ok: false; reason: string };

const ADDON_FILE = join('native', 'build', 'peephole-native.node');
const ADDON_EXPORTS = ['trainEpoch', 'computeGradients', 'predict', 'setThreads', 'getThreads', 'getThreadMode', 'config'];

let cached: NativeAddonStatus | undefined;

/** The repository root: src/model/ in a checkout, dist/ (bundled) in a build. */
function candidatePaths(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const fromEnv = process.env.PEEPHOLE_NATIVE_ADDON;
  return [
    ...(fromEnv ? [fromEnv] : []),
    join(here, '..', '..', ADDON_FILE),
    join(here, '..', ADDON_FILE),
  ];
}

/**
 * The addon, or why it is unavailable. `PEEPHOLE_NATIVE_ADDON=/path.node` overrides the location;
 * `PEEPHOLE_NATIVE=off` disables it (to run the fallback as on a machine without OpenBLAS).
 */
export function loadNativeAddon(): NativeAddonStatus {
  if (cached) return cached;
  if (process.env.PEEPHOLE_NATIVE === 'off') {
    cached = { ok: false, reason: 'native addon disabled by PEEPHOLE_NATIVE=off' };
    return cached;
  }
  const path = candidatePaths().find((p) => existsSync(p));
  if (!path) {
    cached = {
      ok: false,
      reason: `native addon not built (${ADDON_FILE} missing: install libopenblas-dev, run node scripts/build-native.mjs)`,
    };
    return cached;
  }
  try {
    const addon = createRequire(import.meta.url)(path) as Record<string, unknown>;
    const missing = ADDON_EXPORTS.filter((name) => typeof addon[name] !== 'function');
    if (missing.length > 0) throw new Error(`exports missing: ${missing.join(', ')}`);
    cached = { ok: true, addon: addon as unknown as NativeDenseBackend, path };
  } catch (error) {
    cached = { ok: false, reason: `native addon ${path} failed to load: ${(error as Error).message}` };
  }
  return cached;
}
