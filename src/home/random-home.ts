/**
 * Random homes: a home spec drawn from a seed (home-generator.ts, with the distributions of
 * data/home-distributions.yaml), checked like any spec file, so that everything downstream
 * (simulateHome() and its captures at every vantage, training, the attack) takes it as it takes a
 * built-in home. `random:SEED` names one wherever a home is named (loadHomeSpec()).
 *
 * {@link randomHomeLives} lives many of them for training: events and activities only, no traffic,
 * one home at a time (memory bounded by one home's days).
 *
 * ```ts
 * const spec = randomHome(42);                        // the same home for 42, every time
 * for (const home of randomHomeLives({ count: 1000, days: 30 })) train(home.events, home.activities);
 * ```
 */
import { stringify } from 'yaml';
import { randomHomeDocument } from './home-generator.js';
import { loadHomeDistributions, type DrawTrace, type HomeDistributions } from './home-distributions.js';
import { simulateLife } from './life.js';
import { checkHomeSpec, RANDOM_HOME_PREFIX, type HomeSpec } from './spec.js';
import type { ActivityRecord, SimulatedUse } from './types.js';

export { RANDOM_HOME_PREFIX, randomHomeSeed } from './spec.js';

/** The random home of `seed` (0 to 2^32 - 1) drawn from `distributions` (by default data/home-distributions.yaml). */
export function randomHome(seed: number, distributions: HomeDistributions = loadHomeDistributions(), trace?: DrawTrace): HomeSpec {
  return checkHomeSpec(randomHomeDocument(seed, distributions, trace), `${RANDOM_HOME_PREFIX}${seed}`);
}

/**
 * The random home of `seed` as a YAML spec file: what it drew, readable, and loadable as it is
 * (`--home FILE` lives the same home as `--home random:SEED`).
 */
export function randomHomeYaml(seed: number, distributions: HomeDistributions = loadHomeDistributions()): string {
  const document = randomHomeDocument(seed, distributions);
  const header = [
    `# A random home, drawn by peephole from seed ${seed} (--home ${RANDOM_HOME_PREFIX}${seed}) with the distributions of`,
    `# ${distributions.file.endsWith('data/home-distributions.yaml') ? 'data/home-distributions.yaml' : distributions.file}. data/homes/README.md describes the format.`,
  ];
  // Shared values written out each time (no YAML anchors), "on" and "off" quoted for YAML 1.1 readers.
  const body = stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 }).replace(/^(\s*(?:- )?action: )(on|off)$/gm, '$1"$2"');
  return `${header.join('\n')}\n${body}`;
}

export interface RandomHomeLivesOptions {
  /** How many homes. */
  readonly count: number;
  /** The first home's seed; the others follow (firstSeed + 1, ...). Default 0. */
  readonly firstSeed?: number;
  /** Days each home lives. */
  readonly days: number;
  readonly distributions?: HomeDistributions;
}

/** One random home's life: its spec, its labelled activities and its device uses, each in time order. */
export interface RandomHomeLife {
  /** The home's seed: it draws the home and its life. */
  readonly seed: number;
  readonly spec: HomeSpec;
  readonly activities: readonly ActivityRecord[];
  readonly events: readonly SimulatedUse[];
}

/**
 * Lives `count` random homes for `days` days each, one at a time (seeds firstSeed, firstSeed + 1,
 * ...; each home's life seeded by its own seed): events and activities, no traffic. Lazy: a home is
 * drawn and lived when the caller asks for it, and nothing of it is kept after.
 */
export function* randomHomeLives(options: RandomHomeLivesOptions): Generator<RandomHomeLife> {
  const firstSeed = options.firstSeed ?? 0;
  if (!Number.isInteger(options.count) || options.count < 0) throw new RangeError(`count must be a whole number >= 0, got ${options.count}`);
  if (!Number.isInteger(firstSeed) || firstSeed < 0 || firstSeed + options.count - 1 > 0xffff_ffff) {
    throw new RangeError(`seeds must be whole numbers from 0 to ${0xffff_ffff}, got ${firstSeed} and the ${options.count - 1} after it`);
  }
  const distributions = options.distributions ?? loadHomeDistributions();
  for (let i = 0; i < options.count; i++) {
    const seed = firstSeed + i;
    const spec = randomHome(seed, distributions);
    const activities: ActivityRecord[] = [];
    const events: SimulatedUse[] = [];
    for (const day of simulateLife(spec, { days: options.days, seed })) {
      for (const a of day.activities) activities.push(a);
      for (const e of day.events) events.push(e);
    }
    // A day's uses may fall after the next midnight (a late reaction, a late report): one sort puts the home in order.
    events.sort((a, b) => a.timeUs - b.timeUs);
    yield { seed, spec, activities, events };
  }
}
