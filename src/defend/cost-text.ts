/**
 * A defence's cost as a user reads it (`peephole defend`), and as JSON. Sizes in decimal units (kB,
 * MB: 10^3, 10^6 bytes), signed where they are a difference.
 */
import { visibleControls } from '../core/table-format.js';
import type { DefenceCost } from './cost.js';
import type { FrameLedger } from './frames/frame-defence.js';
import { formatParams, type ParamSpec, type ParamValues } from './params.js';

/** Bytes in decimal units, one decimal from kB on. */
export function formatBytes(bytes: number, signed = false): string {
  const sign = signed && bytes > 0 ? '+' : bytes < 0 ? '-' : '';
  const b = Math.abs(bytes);
  const text = b < 1e3 ? `${Math.round(b)} B` : b < 1e6 ? `${(b / 1e3).toFixed(1)} kB` : b < 1e9 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e9).toFixed(2)} GB`;
  return sign + text;
}

function count(n: number, signed = false): string {
  return (signed && n > 0 ? '+' : '') + Math.round(n).toLocaleString('en-US');
}

function seconds(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(0)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export interface CostTextInput {
  readonly strategy: string;
  readonly params: ParamValues;
  readonly specs: readonly ParamSpec[];
  readonly input: string;
  readonly out: string;
  /** What was read: `capture (LAN)`, `events`. */
  readonly what: string;
  readonly seed: number;
  readonly cost: DefenceCost;
  readonly ledger: FrameLedger | null;
  /** Other files written, with what they hold. */
  readonly files?: readonly { readonly path: string; readonly holds: string }[];
}

/** The text `peephole defend` prints. */
export function costText(r: CostTextInput): string {
  const params = formatParams(r.specs, r.params);
  const lines = [`peephole defend: ${r.strategy}${params ? ` (${params})` : ''} on ${visibleControls(r.input)}, ${r.what}, seed ${r.seed}`];
  const c = r.cost;
  const t = c.traffic;
  if (t !== null) {
    lines.push(`  wrote      ${visibleControls(r.out)} (${count(t.defended.frames)} frames, ${formatBytes(t.defended.bytes)}; it had ${count(t.undefended.frames)} frames, ${formatBytes(t.undefended.bytes)})`);
    lines.push(
      `  traffic    ${count(t.extraPackets, true)} frames, ${formatBytes(t.extraBytes, true)} over ${c.days.toFixed(2)} days: ` +
        `${formatBytes(t.extraBytesPerDay, true)} a day, ${formatBytes(t.extraBytesPerSecond, true)}/s, ${t.extraPercent >= 0 ? '+' : ''}${t.extraPercent.toFixed(1)}% of the traffic, ${t.extraMbPerMonth >= 0 ? '+' : ''}${t.extraMbPerMonth.toFixed(1)} MB a month`,
    );
  } else {
    lines.push(`  wrote      ${visibleControls(r.out)}`);
  }
  const u = c.uses;
  if (u !== null) {
    const moved = u.moved > 0 ? `${count(u.moved)} moved: delay mean ${seconds(u.delayMeanS)}, p95 ${seconds(u.delayP95S)}, most ${seconds(u.delayMaxS)}` : 'none moved';
    lines.push(`  uses       ${count(u.real)} real (${moved}), ${count(u.cover)} cover`);
  }
  if (c.packets !== null) lines.push(`  packets    ${count(c.packets.packets)} waited for a slot: mean ${seconds(c.packets.delayMeanS)}, p95 ${seconds(c.packets.delayP95S)}, most ${seconds(c.packets.delayMaxS)}`);
  if (r.ledger !== null) {
    for (const [what, e] of r.ledger.entries) lines.push(`  ledger     ${what}: ${count(e.frames, true)} frames, ${formatBytes(e.bytes, true)}`);
    for (const note of r.ledger.notes) lines.push(`  note       ${note}`);
  }
  for (const f of r.files ?? []) lines.push(`  wrote      ${visibleControls(f.path)} (${f.holds})`);
  return lines.join('\n') + '\n';
}
