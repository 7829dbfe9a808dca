/**
 * The input scaler of the learned presets, fitted on the training rows and kept in the model's
 * manifest: each column x' = (x − mean) / scale, as scikit-learn's StandardScaler (population
 * standard deviation; a constant column gets scale 1 rather than a division by zero).
 */

/**
 * Standard deviations up to this are a constant column's (float noise), which gets scale 1: so every
 * scale the scaler writes is above it, and a manifest with a smaller one (0, negative, or a tiny
 * value that would blow its column up a million-fold) was not written by it.
 */
export const MIN_SCALE = 1e-6;

/** Per-column input scaling learnt from the training rows: x' = (x − mean) / scale. */
export interface Normalisation {
  readonly mean: readonly number[];
  readonly scale: readonly number[];
}

/** Per-column mean and standard deviation of the rows (a constant column gets scale 1). */
export function fitNormalisation(values: Float32Array, width: number): Normalisation {
  const rows = values.length / width;
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      const v = values[r * width + c];
      mean[c] += v;
      sq[c] += v * v;
    }
  }
  const m: number[] = [];
  const s: number[] = [];
  for (let c = 0; c < width; c++) {
    const mu = rows > 0 ? mean[c] / rows : 0;
    const variance = rows > 0 ? Math.max(0, sq[c] / rows - mu * mu) : 0;
    const sd = Math.sqrt(variance);
    m.push(mu);
    s.push(sd > MIN_SCALE ? sd : 1);
  }
  return { mean: m, scale: s };
}

/** A normalised copy of the rows. */
export function normalise(values: Float32Array, width: number, norm: Normalisation): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = i % width;
    out[i] = (values[i] - norm.mean[c]) / norm.scale[c];
  }
  return out;
}
