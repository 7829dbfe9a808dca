/**
 * Measures usage detection on a simulated home: simulates it (LAN capture and events.csv), detects
 * uses in the capture, and scores them against events.csv (score.ts). With a payload jitter the
 * home is simulated with a packet transform (src/home/seams.ts) that adds the jitter to every TLS
 * application-data segment before the capture is written.
 *
 * ```ts
 * const m = await measureHome('family', { days: 7, seed: 1, dir: '/tmp/family' });
 * console.log(formatScoreTable(m));
 * ```
 */
import { join } from 'node:path';
import { readEventsCsv } from '../../src/attack/events-csv.js';
import { loadHomeSpec } from '../../src/home/spec.js';
import { simulateHome } from '../../src/home/simulate.js';
import { defaultVendorRules } from '../../src/observe/vendor-rules.js';
import { ATTACK_KINDS } from '../../src/core/kinds.js';
import type { PacketTransform } from '../../src/home/seams.js';
import { detectUsage, type UsageReport } from '../../src/uses/detect-usage.js';
import { scoreUsageDetection, type DetectionCounts, type UsageScore } from '../../src/uses/score.js';

export interface MeasureOptions {
  readonly days: number;
  readonly seed: number;
  /** Where the simulated home's files go. */
  readonly dir: string;
  readonly burstGapUs?: number;
  /**
   * Adds 0..this many bytes (uniform, seeded) to every TLS application-data segment's payload (a
   * segment never grows past a full one), as varying padding or message contents would: the
   * simulator's messages have exact sizes.
   */
  readonly payloadJitterBytes?: number;
}

export interface HomeMeasurement {
  readonly home: string;
  readonly days: number;
  readonly seed: number;
  readonly payloadJitterBytes: number;
  readonly score: UsageScore;
  readonly report: UsageReport;
}

export async function measureHome(home: string, options: MeasureOptions): Promise<HomeMeasurement> {
  const spec = loadHomeSpec(home);
  const out = join(options.dir, home);
  const jitter = options.payloadJitterBytes ?? 0;
  const packets = jitter > 0 ? payloadJitter(jitter) : undefined;
  const sim = simulateHome({ spec, source: home, days: options.days, seed: options.seed, out, vantage: 'lan', format: 'pcap', seams: { packets } });
  const report = await detectUsage(sim.files.capture as string, { rules: defaultVendorRules(), burstGapUs: options.burstGapUs });
  const truth = readEventsCsv(sim.files.events).events;
  return { home, days: options.days, seed: options.seed, payloadJitterBytes: jitter, score: scoreUsageDetection(report.events, truth, spec), report };
}

/** A packet transform adding 0..`bytes` bytes (uniform) to every TLS application-data segment, up to a full segment. */
export function payloadJitter(bytes: number): PacketTransform {
  return {
    transformPacket(p, random) {
      if (p.kind === 'tls-data') p.payloadBytes = Math.min(p.maxPayloadBytes, p.payloadBytes + random.int(0, bytes));
    },
  };
}

function row(name: string, c: DetectionCounts): string {
  const cells = [name.padEnd(10), c.tp, c.fp, c.fn, c.merged].map((x) => String(x).padStart(6));
  return `${cells.join(' ')} ${c.precision.toFixed(3).padStart(9)} ${c.recall.toFixed(3).padStart(6)}`;
}

/** A text table: one row per attack kind, then `overall`. */
export function formatScoreTable(m: HomeMeasurement): string {
  const jitter = m.payloadJitterBytes > 0 ? `, data payloads + 0..${m.payloadJitterBytes} bytes` : '';
  const lines = [`${m.home}: ${m.days} days, seed ${m.seed}${jitter}`, `${'kind'.padStart(10)}     tp     fp     fn merged precision recall`];
  for (const kind of ATTACK_KINDS) {
    const c = m.score.byKind[kind];
    if (c !== undefined) lines.push(row(kind, c));
  }
  lines.push(row('overall', m.score.overall));
  return lines.join('\n');
}
