/**
 * Progress on stderr, only when stderr is a TTY (never in pipes, files or CI logs).
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Progress {
  update(bytes: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };

/** A byte-count progress bar for reading `file` ('-' for stdin: no total, so no bar). */
export function byteProgress(file: string, label: string): Progress {
  if (!process.stderr.isTTY || file === '-') return SILENT;
  let total = 0;
  try {
    total = statSync(file).size;
  } catch {
    return SILENT;
  }
  // Loaded only when a bar is shown: most runs (pipes, CI) never pay for it.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} MB | {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const mb = (n: number): number => Math.round(n / 1e5) / 10;
  bar.start(mb(total), 0);
  return {
    update: (bytes) => bar.update(Math.min(mb(bytes), mb(total))),
    stop: () => bar.stop(),
  };
}

/**
 * A counting progress bar (`label [███░░] 40% | 146/365 days`), for work measured in steps rather
 * than bytes: simulated days, training epochs.
 */
export function countProgress(total: number, label: string, unit: string): Progress {
  if (!process.stderr.isTTY || total <= 0) return SILENT;
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (done) => bar.update(Math.min(done, total)),
    stop: () => bar.stop(),
  };
}

/** Progress over simulated days. */
export function dayProgress(days: number, label: string): Progress {
  return countProgress(days, label, 'days');
}
