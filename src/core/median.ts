/**
 * The median of `values` (NaN when there are none): the middle value in sorted order, or the mean of
 * the two middle ones. `values` is left as it is. For long series of numbers it may reorder,
 * uses/period.ts `medianInPlace` selects in linear time instead of sorting.
 */
export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
