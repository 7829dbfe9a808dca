/** The strategies and their parameters as `peephole defend --list` prints them. */
import type { Strategy } from './strategy.js';

export function strategiesText(strategies: readonly Strategy[]): string {
  const lines: string[] = ['Strategies (combine them with +, e.g. pad+stp; --param name=value, or part.name=value when two parts share a name):', ''];
  for (const s of strategies) {
    lines.push(`${s.name.padEnd(14)} ${s.family.padEnd(8)} ${s.summary}`);
    for (const p of s.params) {
      const range = p.choices !== undefined ? p.choices.join('|') : `${p.min ?? ''}..${p.max ?? ''}${p.unit ? ` ${p.unit}` : ''}`;
      lines.push(`    ${p.name.padEnd(18)} default ${String(p.default).padEnd(7)} ${range.padEnd(28)} ${p.description}`);
    }
    if (s.sweep !== null) lines.push(`    (evaluate sweeps ${s.sweep.param}: ${s.sweep.values.join(', ')})`);
    lines.push('');
  }
  return lines.join('\n');
}
