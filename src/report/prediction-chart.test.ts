import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { predictionVegaLiteSpec, renderPredictionChart } from './prediction-chart.js';
import type { PredictionItem } from './prediction-chart.js';
import { assertWellFormed, axisLabels, compileWarnings, pngSize, svgSize, svgText } from './test-support.js';

const ACTIVITIES = ['wake_up', 'leave_home', 'return_home', 'leave_temporarily', 'go_to_bed'];
const EXPECTED = [0, 0, 1, 1, 2, 3, 3, 4];
// The published Figure 6 (up): scenario 6 (leave_temporarily) predicted as leave_home.
const PREDICTED = [0, 0, 1, 1, 2, 1, 3, 4];
const items = (predicted: readonly number[] = PREDICTED): PredictionItem[] =>
  EXPECTED.map((expected, i) => ({ label: `scenario ${i + 1}`, expected, predicted: predicted[i] }));

/** Each drawn point as [scenario, class, series] and its y position, from the points' accessible labels. */
function points(svg: string): { scenario: string; cls: string; series: string; y: number }[] {
  const unescape = (s: string): string => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return [...svg.matchAll(/aria-label="scenario: ([^"]*?); class: ([^"]*?); series: ([^"]*)"[^>]*aria-roledescription="point" transform="translate\(([\d.]+),([\d.]+)\)"/g)].map(
    (m) => ({ scenario: unescape(m[1]), cls: unescape(m[2]), series: m[3], y: Number(m[5]) }),
  );
}

test('renderPredictionChart() puts the classes up the side from the first at the bottom, and the scenarios along in order', async () => {
  const svg = await renderPredictionChart(items(), { format: 'svg', title: 'Figure 6', classes: ACTIVITIES });
  assertWellFormed(svg);
  const [yLabels, xLabels] = [axisLabels(svg).find((a) => a.includes('wake_up')), axisLabels(svg).find((a) => a.includes('scenario 1'))];
  assert.deepEqual(yLabels, [...ACTIVITIES].reverse(), 'go_to_bed at the top, wake_up at the bottom');
  assert.deepEqual(
    xLabels,
    EXPECTED.map((_, i) => `scenario ${i + 1}`),
  );
  const text = svgText(svg);
  for (const t of ['Figure 6', 'class', 'scenario', 'expected', 'predicted, right', 'predicted, wrong', '7 of 8 scenarios right (87.5 %) · wrong: scenario 6']) {
    assert.ok(text.includes(t), t);
  }
});

test('renderPredictionChart() rings each expected class and marks each prediction right or wrong at its class', async () => {
  const svg = await renderPredictionChart(items(), { format: 'svg', title: 't', classes: ACTIVITIES });
  const drawn = points(svg);
  assert.equal(drawn.length, 16);
  EXPECTED.forEach((e, i) => {
    const scenario = `scenario ${i + 1}`;
    const ring = drawn.find((p) => p.scenario === scenario && p.series === 'expected');
    const dot = drawn.find((p) => p.scenario === scenario && p.series.startsWith('predicted'));
    assert.equal(ring?.cls, ACTIVITIES[e]);
    assert.equal(dot?.cls, ACTIVITIES[PREDICTED[i]]);
    assert.equal(dot?.series, e === PREDICTED[i] ? 'predicted, right' : 'predicted, wrong');
  });
  // Higher classes are higher up: a smaller y.
  const yOf = (cls: string): number | undefined => drawn.find((p) => p.cls === cls)?.y;
  assert.ok(yOf('go_to_bed')! < yOf('leave_temporarily')! && yOf('leave_home')! < yOf('wake_up')!);
  // One dashed line joins each wrong prediction to its ring.
  assert.equal(svg.match(/aria-roledescription="rule mark" [^>]*stroke="#c62828"/g)?.length, 1);
});

test('renderPredictionChart() keeps every class on the axis in order even when most are never expected nor predicted', async () => {
  const svg = await renderPredictionChart(
    [
      { label: 'a', expected: 4, predicted: 0 },
      { label: 'b', expected: 2, predicted: 2 },
    ],
    { format: 'svg', title: 't', classes: ACTIVITIES },
  );
  assert.deepEqual(
    axisLabels(svg).find((a) => a.includes('wake_up')),
    [...ACTIVITIES].reverse(),
  );
  assert.equal(svg.match(/aria-roledescription="rule mark" [^>]*stroke="#c62828"/g)?.length, 1);
  assert.ok(svgText(svg).includes('1 of 2 scenarios right (50.0 %) · wrong: a'));
});

test('renderPredictionChart() writes a PNG twice the SVG size, the same bytes for the same items in this process and another', async () => {
  const svg = await renderPredictionChart(items(), { format: 'svg', title: 'Figure 6', classes: ACTIVITIES });
  const png = await renderPredictionChart(items(), { format: 'png', title: 'Figure 6', classes: ACTIVITIES });
  const size = svgSize(svg);
  assert.deepEqual(pngSize(png), { width: size.width * 2, height: size.height * 2 });
  assert.deepEqual(await renderPredictionChart(items(), { format: 'png', title: 'Figure 6', classes: ACTIVITIES }), png);
  assert.equal(await renderPredictionChart(items(), { format: 'svg', title: 'Figure 6', classes: ACTIVITIES }), svg);
  const script = [
    `import { renderPredictionChart } from ${JSON.stringify(new URL('./prediction-chart.ts', import.meta.url).href)};`,
    `import { createHash } from 'node:crypto';`,
    `const [items, classes] = JSON.parse(process.argv[1]);`,
    `const png = await renderPredictionChart(items, { format: 'png', title: 'Figure 6', classes });`,
    `console.log(createHash('sha256').update(png).digest('hex'));`,
  ].join('\n');
  const child = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, JSON.stringify([items(), ACTIVITIES])], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  });
  assert.equal(child.trim(), createHash('sha256').update(png).digest('hex'));
});

test('renderPredictionChart() shows hostile scenario and class names escaped, never as markup, controls or expressions', async () => {
  const classes = ['<script>x</script>', 'b\u202ec', "'); alert('x"];
  const hostile: PredictionItem[] = [
    { label: '<img src=x onerror=alert(1)>', expected: 0, predicted: 1 },
    { label: 'tab\there\u0000\u2067', expected: 2, predicted: 2 },
    { label: '<img src=x onerror=alert(1)>', expected: 1, predicted: 1 },
  ];
  const svg = await renderPredictionChart(hostile, { format: 'svg', title: '</text><script>', classes });
  assertWellFormed(svg);
  assert.ok(!svg.includes('<script') && !svg.includes('<img'), 'no element from a name');
  assert.ok(!/[\u0000-\u0008\u202a-\u202e\u2066-\u2069]/.test(svg), 'no control or bidi character');
  const axes = axisLabels(svg);
  assert.deepEqual(
    axes.find((a) => a.includes('<script>x</script>')),
    ["'); alert('x", 'b\\u{202e}c', '<script>x</script>'],
  );
  // Scenario names are cut at 24 characters; a repeated name is told apart.
  assert.deepEqual(
    axes.find((a) => a.includes('<img src=x onerror=aler…')),
    ['<img src=x onerror=aler…', 'tab\\x09here\\x00\\u{2067}', '<img src=x onerror=aler… (2)'],
  );
  assert.ok(svgText(svg).includes('</text><script>'), 'the title is shown as text');
  // Names are data, or plain title text (the subtitle lists the wrong scenarios): never in an expression, sort or domain.
  const { data, title, ...rest } = predictionVegaLiteSpec(hostile, { title: 'safe', classes }) as { data: unknown; title: { subtitle: string } };
  assert.ok(!/script|img|alert/.test(JSON.stringify(rest)), 'names are data only');
  assert.equal(title.subtitle, '2 of 3 scenarios right (66.7 %) · wrong: <img src=x onerror=aler…');
  assert.ok(JSON.stringify(data).includes('alert'));
});

test('renderPredictionChart() draws no scenarios, and rejects a class id outside the classes', async () => {
  const svg = await renderPredictionChart([], { format: 'svg', title: 'none', classes: ACTIVITIES });
  assertWellFormed(svg);
  assert.ok(svgText(svg).includes('no scenarios'));
  assert.throws(() => predictionVegaLiteSpec([{ label: 'x', expected: 0, predicted: 5 }], { title: 't', classes: ACTIVITIES }), /item 0 has predicted class 5/);
  assert.throws(() => predictionVegaLiteSpec([{ label: 'x', expected: -1, predicted: 0 }], { title: 't', classes: ACTIVITIES }), /expected class -1/);
});

test('the prediction vega-lite spec compiles without warnings', () => {
  const specs = [items(), items([0, 0, 1, 1, 2, 3, 3, 4])].map((list) => predictionVegaLiteSpec(list, { title: 't', classes: ACTIVITIES }));
  assert.deepEqual(compileWarnings(specs), []);
});

test('renderPredictionChart() names at most six wrong scenarios in the subtitle', () => {
  const many = Array.from({ length: 9 }, (_, i) => ({ label: `d${i}`, expected: 0, predicted: 1 }));
  const { title } = predictionVegaLiteSpec(many, { title: 't', classes: ACTIVITIES }) as { title: { subtitle: string } };
  assert.equal(title.subtitle, '0 of 9 scenarios right (0.0 %) · wrong: d0, d1, d2, d3, d4, d5 +3 more');
});
