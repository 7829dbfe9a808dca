/**
 * The privacy/cost frontier of a sweep (sweep.ts) as a table (CSV, JSON, text) and a figure: each
 * point's macro-F1 for each observer against its extra MB a month, with the undefended attack, chance
 * and the target as reference lines; and the recommendation.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderVegaLite, evaluationConfig } from '../../report/vega-render.js';
import { formatBytes } from '../cost-text.js';
import { strategyOf } from '../registry.js';
import type { Identification, SweepPoint, SweepResult } from './sweep.js';

export const FRONTIER_CSV_HEADER =
  'strategy,param,value,naive_f1,adaptive_f1,aware_f1,strongest_f1,uses_seen_per_day,extra_mb_per_month,extra_bytes_per_second,extra_percent,delay_mean_s,delay_p95_s,cost,aware_sizes_f1,observed_on,cover_told,strongest_bound_f1';

const f3 = (x: number | null): string => (x === null ? '' : x.toFixed(3));

export function frontierCsv(result: SweepResult): string {
  const rows = result.points.map((p) =>
    [
      p.strategy,
      p.param ?? '',
      p.value ?? '',
      f3(p.f1.naive),
      f3(p.f1.adaptive),
      f3(p.f1.aware),
      f3(p.strongest),
      p.usesSeenPerDay.toFixed(1),
      p.cost.extraMbPerMonth.toFixed(2),
      p.cost.extraBytesPerSecond.toFixed(2),
      p.cost.extraPercent.toFixed(1),
      p.cost.delayMeanS.toFixed(1),
      p.cost.delayP95S.toFixed(1),
      p.cost.measured,
      f3(p.f1.awareSizes ?? null),
      p.observedOn ?? 'uses',
      f3(p.capture?.coverTold ?? null),
      f3(p.strongestBound),
    ].join(','),
  );
  return [FRONTIER_CSV_HEADER, ...rows].join('\n') + '\n';
}

function pointName(p: SweepPoint): string {
  return p.param === null ? p.strategy : `${p.strategy} ${p.param}=${p.value}`;
}

/** The frontier as text: the references, one line per point, and the recommendation. */
export function frontierText(result: SweepResult, target: number, recommended: SweepPoint | null): string {
  const lines = [
    `Defences on the home "${result.home}" (seed ${result.seed}): the ${result.settings.preset} preset trained on ${result.settings.trainDays} days, scored on ${result.settings.testDays} others (timeline macro-F1 within ${result.settings.toleranceMinutes} min); cost on ${result.settings.costDays} day(s) written at the LAN vantage`,
    `  undefended attack ${result.references.undefended.toFixed(3)}${captureReference(result)}, chance ${result.references.chance.toFixed(3)}, target: the adaptive and aware observers under ${target}`,
    `  *: scored on the defended capture read by the use detection (the others on the uses the defence makes); sizes: the size-aware observer, on the capture`,
    `  strong: the strongest of adapt, aware and sizes; bound: its ${boundName(result)} (a bootstrap over the ${result.settings.testDays} test days), what the recommendation holds under the target`,
    '',
    `  ${'strategy'.padEnd(28)} ${'naive'.padStart(6)} ${'adapt'.padStart(6)} ${'aware'.padStart(6)} ${'sizes'.padStart(6)} ${'strong'.padStart(6)} ${'bound'.padStart(6)}  ${'uses/day'.padStart(8)}  ${'MB/month'.padStart(9)} ${'B/s'.padStart(8)} ${'%'.padStart(7)}  ${'delay p95'.padStart(9)}`,
  ];
  for (const p of result.points) {
    lines.push(
      `  ${pointName(p).padEnd(28)} ${f3(p.f1.naive).padStart(6)} ${f3(p.f1.adaptive).padStart(6)} ${(p.f1.aware === null ? '-' : f3(p.f1.aware)).padStart(6)} ${(p.f1.awareSizes == null ? '-' : f3(p.f1.awareSizes)).padStart(6)} ${f3(p.strongest).padStart(6)} ${f3(p.strongestBound).padStart(6)}  ${p.usesSeenPerDay.toFixed(1).padStart(8)}  ${p.cost.extraMbPerMonth.toFixed(1).padStart(9)} ${p.cost.extraBytesPerSecond.toFixed(1).padStart(8)} ${p.cost.extraPercent.toFixed(1).padStart(7)}  ${`${p.cost.delayP95S.toFixed(0)} s`.padStart(9)}${p.cost.measured === 'counted' ? '  (frames counted)' : ''}${p.observedOn === 'capture' ? '  *' : ''}`,
    );
  }
  lines.push('', ...identificationText(result), ...coverToldText(result));
  lines.push('');
  lines.push(recommendationText(recommended, target, boundName(result)));
  return lines.join('\n') + '\n';
}

function identified(i: Identification): string {
  const vendors = i.vendors.length === 0 ? 'no vendor named' : `vendors ${i.vendors.join(', ')}`;
  return `${i.devices} device(s), ${vendors}; ${i.namedByNames} named by what they said (DNS, TLS server names)`;
}

/** Device identification on each strategy's defended traffic, where it differs from the home's as lived. */
function identificationText(result: SweepResult): string[] {
  const lived = result.references.identification;
  if (lived === undefined || lived === null) return [];
  const lines = [`Device identification re-run on the defended traffic (a day at the LAN vantage, as peephole devices reads it); as lived: ${identified(lived)}`];
  const same = (a: Identification, b: Identification): boolean => a.devices === b.devices && a.namedByNames === b.namedByNames && a.vendors.join() === b.vendors.join();
  const groups: { strategy: string; values: string[]; id: Identification }[] = [];
  for (const p of result.points) {
    const id = p.identification;
    if (id === undefined || id === null || same(id, lived)) continue;
    const last = groups[groups.length - 1];
    const value = p.param === null ? '' : `${p.param}=${p.value}`;
    if (last !== undefined && last.strategy === p.strategy && same(last.id, id)) last.values.push(value);
    else groups.push({ strategy: p.strategy, values: [value], id });
  }
  for (const g of groups) lines.push(`  ${`${g.strategy} ${g.values.filter((v) => v !== '').join(' ')}`.trim()}: ${identified(g.id)}`);
  if (groups.length === 0) lines.push('  every strategy leaves it as lived');
  return lines;
}

/** How well the size-aware observer tells cover from real, per cover strategy. */
function coverToldText(result: SweepResult): string[] {
  const told = result.points.filter((p) => p.capture?.coverTold !== null && p.capture?.coverTold !== undefined);
  if (told.length === 0) return [];
  const lines = ['', 'Cover told from real uses by the size-aware observer (per detected use, balanced accuracy on the scored days\' captures; Engelberg and Wool tell cover-only windows from real activity 81% of the time from packet sizes):'];
  const byStrategy = new Map<string, string[]>();
  for (const p of told) {
    const cell = `${p.param === null ? '' : `${p.param}=${p.value} `}${(100 * p.capture!.coverTold!).toFixed(0)}%`;
    byStrategy.set(p.strategy, [...(byStrategy.get(p.strategy) ?? []), cell]);
  }
  for (const [strategy, cells] of byStrategy) lines.push(`  ${strategy}: ${cells.join(', ')}`);
  return lines;
}

function captureReference(result: SweepResult): string {
  const c = result.references.undefendedCapture;
  return c === null || c === undefined ? '' : ` (${c.toFixed(3)} on the undefended capture read by the use detection)`;
}

/** The bound's name, e.g. `90% upper bound`. */
export function boundName(result: Pick<SweepResult, 'settings'>): string {
  return `${Math.round(100 * result.settings.bound.level)}% upper bound`;
}

export function recommendationText(p: SweepPoint | null, target: number, bound = 'upper bound'): string {
  if (p === null) return `Recommendation: none of these strategies keeps the strongest observer (adaptive or aware) under macro-F1 ${target} with its ${bound}.`;
  return (
    `Recommendation: ${pointName(p)}: the strongest observer at ${p.strongest.toFixed(3)}, its ${bound} ${p.strongestBound.toFixed(3)} (under ${target}), for ` +
    `${p.cost.extraMbPerMonth.toFixed(1)} MB a month (${formatBytes(p.cost.extraBytesPerSecond)}/s, ${p.cost.extraPercent.toFixed(0)}% of the traffic) and ${p.cost.delayP95S.toFixed(0)} s of delay (p95).` +
    untestedText(p.strategy)
  );
}

/** What no observer here tries on a strategy (or combination), as a sentence to follow its recommendation; empty when nothing. */
export function untestedText(strategy: string): string {
  const untested = strategyOf(strategy).untested;
  return untested === undefined ? '' : ` Caveat: ${untested}.`;
}

/** The least extra MB a month the figure shows: a cost below it (delays, nothing) is drawn on that line. */
const LEAST_MB = 0.1;

/** The frontier figure: macro-F1 of each observer against extra MB a month (log scale from {@link LEAST_MB}). */
export function frontierSpec(result: SweepResult, target: number): TopLevelSpec {
  const values = result.points.flatMap((p) =>
    (['naive', 'adaptive', 'aware', 'awareSizes'] as const)
      .filter((o) => p.f1[o] !== null && p.f1[o] !== undefined)
      .map((o) => ({ strategy: p.strategy, point: pointName(p), observer: o === 'awareSizes' ? 'aware (sizes)' : o, f1: p.f1[o], mb: Math.max(LEAST_MB, p.cost.extraMbPerMonth) })),
  );
  const refs = [
    { label: `undefended attack ${result.references.undefended.toFixed(2)}`, f1: result.references.undefended },
    { label: `chance ${result.references.chance.toFixed(2)}`, f1: result.references.chance },
    { label: `target ${target}`, f1: target },
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Privacy and cost of each defence on "${result.home}" (timeline macro-F1 against extra MB a month)`,
    width: 640,
    height: 380,
    config: evaluationConfig(),
    layer: [
      {
        data: { values: refs },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
        encoding: { y: { field: 'f1', type: 'quantitative' } },
      },
      {
        data: { values: refs },
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#555', fontSize: 10 },
        encoding: { y: { field: 'f1', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
      },
      {
        data: { values },
        mark: { type: 'line', opacity: 0.5 },
        transform: [{ filter: "datum.observer !== 'naive'" }],
        encoding: {
          x: {
            field: 'mb',
            type: 'quantitative',
            scale: { type: 'log', domainMin: LEAST_MB },
            axis: { values: [0.1, 1, 10, 100, 1_000, 10_000, 100_000], format: '~g' },
            title: `extra MB a month (${LEAST_MB} or less drawn at ${LEAST_MB})`,
          },
          y: { field: 'f1', type: 'quantitative', scale: { domain: [0, 1] }, title: 'timeline macro-F1' },
          color: { field: 'strategy', type: 'nominal' },
          detail: { field: 'observer' },
          strokeDash: { field: 'observer', type: 'nominal' },
        },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x: { field: 'mb', type: 'quantitative', scale: { type: 'log', domainMin: LEAST_MB } },
          y: { field: 'f1', type: 'quantitative' },
          color: { field: 'strategy', type: 'nominal', title: 'strategy' },
          shape: { field: 'observer', type: 'nominal', title: 'observer' },
          tooltip: [{ field: 'point' }, { field: 'observer' }, { field: 'f1' }, { field: 'mb' }],
        },
      },
    ],
  } as TopLevelSpec;
}

export async function renderFrontier(result: SweepResult, target: number, format: 'svg' | 'png'): Promise<string | Uint8Array> {
  return renderVegaLite(frontierSpec(result, target), format);
}
