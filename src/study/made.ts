/**
 * How a study's report says it was made: peephole's version (package.json at the package root), the
 * Node.js that ran it, when, and whether it resumed from a kept stage; and where the method's full
 * description (docs/method.md) is, relative to the report, when this install has it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { packageRoot } from '../core/data-file.js';
import type { ReportMade } from '../report/study-report-input.js';

let version: string | undefined;

/** peephole's version, from its package.json. */
export function peepholeVersion(): string {
  if (version === undefined) {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    version = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  }
  return version;
}

export function madeNow(resumedFrom: string | null): ReportMade {
  return { peephole: peepholeVersion(), node: process.version, platform: `${process.platform} ${process.arch}`, startedAt: new Date().toISOString(), resumedFrom };
}

/** docs/method.md relative to a report written in `out`, or null when this install has no docs/. */
export function methodHref(out: string): string | null {
  const method = join(packageRoot(), 'docs', 'method.md');
  return existsSync(method) ? relative(resolve(out), method).split('\\').join('/') : null;
}
