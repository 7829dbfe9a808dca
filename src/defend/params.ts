/**
 * A defence's parameters: each strategy declares its own (name, meaning, unit, default, bounds), and
 * values given as `k=v` text (the CLI's `--param`) or as numbers (a sweep) are checked against them.
 * A problem is a {@link DefenceParamError}: the CLI shows it as a usage error (exit 2), naming the
 * parameter, what it got and what it takes.
 */

/** One parameter of a strategy. */
export interface ParamSpec {
  readonly name: string;
  readonly description: string;
  /** Shown after the value: `per day`, `minutes`, `bytes`, `B/s`; '' for none. */
  readonly unit: string;
  readonly default: number | string;
  /** For a number: the least and most it may be (inclusive), and whether it must be whole. */
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** For a word: the values it may take. */
  readonly choices?: readonly string[];
}

/** A strategy's parameters, every one set (defaults filled in). */
export type ParamValues = Readonly<Record<string, number | string>>;

/** A parameter a strategy does not have, or a value it cannot take. */
export class DefenceParamError extends Error {
  override readonly name = 'DefenceParamError';
}

/** A number parameter's value (a RangeError when the strategy's own code asks for a word as a number). */
export function numberParam(values: ParamValues, name: string): number {
  const v = values[name];
  if (typeof v !== 'number') throw new RangeError(`Parameter ${name} is ${JSON.stringify(v)}, not a number`);
  return v;
}

/** A word parameter's value. */
export function wordParam(values: ParamValues, name: string): string {
  const v = values[name];
  if (typeof v !== 'string') throw new RangeError(`Parameter ${name} is ${JSON.stringify(v)}, not a word`);
  return v;
}

/** `k=v` pairs as given on a command line, in order (a later one overrides an earlier one). */
export function parseParamPairs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new DefenceParamError(`--param needs name=value, got ${JSON.stringify(pair)}`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Every parameter of `specs` set: from `given` (text or numbers) where named, the default otherwise.
 * `strategy` names the strategy in messages.
 */
export function resolveParams(strategy: string, specs: readonly ParamSpec[], given: Readonly<Record<string, string | number>> = {}): ParamValues {
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const name of Object.keys(given)) {
    if (!byName.has(name)) {
      const known = specs.length === 0 ? 'it has none' : `it has ${specs.map((s) => s.name).join(', ')}`;
      throw new DefenceParamError(`${strategy} has no parameter ${JSON.stringify(name)}: ${known}`);
    }
  }
  const out: Record<string, number | string> = {};
  for (const spec of specs) {
    const v = given[spec.name];
    out[spec.name] = v === undefined ? spec.default : checkValue(strategy, spec, v);
  }
  return out;
}

function checkValue(strategy: string, spec: ParamSpec, value: string | number): number | string {
  const where = `${strategy} ${spec.name}`;
  if (spec.choices !== undefined) {
    const word = String(value);
    if (!spec.choices.includes(word)) throw new DefenceParamError(`${where} is one of ${spec.choices.join(', ')}, not ${JSON.stringify(word)}`);
    return word;
  }
  const n = typeof value === 'number' ? value : /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  const range = `${spec.min ?? '-∞'} to ${spec.max ?? '∞'}${spec.unit ? ` ${spec.unit}` : ''}`;
  if (!Number.isFinite(n)) throw new DefenceParamError(`${where} needs a number (${range}), got ${JSON.stringify(value)}`);
  if (spec.integer && !Number.isInteger(n)) throw new DefenceParamError(`${where} needs a whole number (${range}), got ${JSON.stringify(value)}`);
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
    throw new DefenceParamError(`${where} must be from ${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** `k=v, k=v` for reports, in the strategy's order. */
export function formatParams(specs: readonly ParamSpec[], values: ParamValues): string {
  return specs.map((s) => `${s.name}=${values[s.name]}`).join(', ');
}
