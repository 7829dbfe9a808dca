import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { exceedsReportedEnd, ReportedEndCollectingContext } from './reported-end.js';

test('exceedsReportedEnd() is true only past a known reported end', () => {
  const ctx = new ReportedEndCollectingContext(10, 70);
  assert.equal(exceedsReportedEnd(ctx, 70), false);
  assert.equal(exceedsReportedEnd(ctx, 71), true);
  ctx.reportedEnd = undefined;
  assert.equal(exceedsReportedEnd(ctx, 1e9), false);
  assert.equal(exceedsReportedEnd(new CollectingContext(), 1e9), false);
});

test('ReportedEndCollectingContext collects anomalies at offsets relative to its base', () => {
  const ctx = new ReportedEndCollectingContext(10, 70, 4);
  ctx.anomaly('ipv4_bad_total_length', 12, 'x');
  assert.deepEqual(ctx.anomalies, [{ kind: 'ipv4_bad_total_length', frame: 4, offset: 2, message: 'x' }]);
});
