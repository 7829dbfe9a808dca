/**
 * Independent random streams from one seed: each resident, each year's holidays and the household
 * draw from their own {@link Random}, so adding a device to a home does not change its residents'
 * lives, and a resident's life does not depend on how many others share the home.
 */
import { Random } from '../core/random.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** A 32-bit seed mixed from a seed and stream labels (FNV-1a over the numbers' bytes, then avalanched). */
export function mixSeed(seed: number, ...labels: readonly number[]): number {
  let h = FNV_OFFSET;
  for (const part of [seed, ...labels]) {
    const n = part >>> 0;
    for (let shift = 0; shift < 32; shift += 8) h = Math.imul(h ^ ((n >>> shift) & 0xff), FNV_PRIME);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** A generator for a stream labelled `labels` of `seed`. */
export function streamRandom(seed: number, ...labels: readonly number[]): Random {
  return new Random(mixSeed(seed, ...labels));
}

/** A Poisson deviate with the given mean (Knuth's product of uniforms; means here are small). */
export function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random.next();
  while (p > limit) {
    k++;
    p *= random.next();
  }
  return k;
}

/** A uniform float in [low, high]. */
export function uniform(random: Random, low: number, high: number): number {
  return low + (high - low) * random.next();
}
