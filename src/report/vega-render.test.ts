import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctLabels, renderVegaLite, stableDefIds } from './vega-render.js';
import { pngSize, svgSize } from './test-support.js';

test('stableDefIds() renumbers gradient and clip ids in order of appearance, in tags only', () => {
  const svg =
    '<svg><defs><linearGradient id="gradient_7"/><clipPath id="clip12"/><pattern id="p_gradient_9"/></defs>' +
    '<path fill="url(#gradient_7)" clip-path="url(#clip12)"/><path fill="url(#p_gradient_9)"/>' +
    '<text>url(#gradient_7) id="clip12"</text></svg>';
  assert.equal(
    stableDefIds(svg),
    '<svg><defs><linearGradient id="gradient_0"/><clipPath id="clip1"/><pattern id="p_gradient_1"/></defs>' +
      '<path fill="url(#gradient_0)" clip-path="url(#clip1)"/><path fill="url(#p_gradient_1)"/>' +
      '<text>url(#gradient_7) id="clip12"</text></svg>',
  );
});

test('renderVegaLite() draws the same legend gradient id every time, so the SVG bytes repeat', async () => {
  const spec = {
    data: { values: [{ v: 1 }, { v: 5 }] },
    mark: 'rect' as const,
    encoding: { x: { field: 'v', type: 'ordinal' as const }, color: { field: 'v', type: 'quantitative' as const } },
  };
  const first = await renderVegaLite(spec, 'svg');
  const second = await renderVegaLite(spec, 'svg');
  assert.match(String(first), /id="gradient_0"/);
  assert.equal(second, first);
  const png = await renderVegaLite(spec, 'png', 3);
  const size = svgSize(String(first));
  assert.deepEqual(pngSize(png as Uint8Array), { width: size.width * 3, height: size.height * 3 });
  await assert.rejects(renderVegaLite(spec, 'png', 9), /at most 8/);
});

test('distinctLabels() makes names safe and tells repeated ones apart', () => {
  assert.deepEqual(distinctLabels(['a', 'a', '', 'b\u202e', 'a (2)', 'abcdefgh'], 5), ['a', 'a (2)', '(empty)', 'b\\u{…', 'a (2) (2)', 'abcd…']);
});
