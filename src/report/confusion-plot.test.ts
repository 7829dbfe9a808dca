import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { classificationReport } from '../evaluate/metrics.js';
import { confusionVegaLiteSpec, countTicks, fractionText, renderConfusion } from './confusion-plot.js';
import { plotLabel } from './timeline-plot.js';
import { assertWellFormed, axisLabels, compileWarnings, pngSize, svgSize, svgText, textMarks } from './test-support.js';

const ACTIVITIES = ['wake_up', 'leave_home', 'return_home', 'leave_temporarily', 'go_to_bed'];
// The published Figure 4: 8 test scenarios, one leave_temporarily taken for leave_home.
const TRUTH = [0, 0, 1, 1, 2, 3, 3, 4];
const PREDICTED = [0, 0, 1, 1, 2, 1, 3, 4];
const figure4 = (): ReturnType<typeof classificationReport> => classificationReport(TRUTH, PREDICTED, ACTIVITIES);

test('renderConfusion() writes the counts row by row, true classes down the side and predicted along the bottom', async () => {
  const svg = await renderConfusion(figure4(), { normalised: false, format: 'svg', title: 'Figure 4' });
  assertWellFormed(svg);
  const marks = textMarks(svg);
  assert.deepEqual(
    marks.map((m) => m.text),
    figure4().confusion.flat().map(String),
  );
  const axes = axisLabels(svg);
  assert.equal(axes.length, 2);
  assert.ok(axes.every((labels) => JSON.stringify(labels) === JSON.stringify(ACTIVITIES)), `both axes list the classes in order: ${JSON.stringify(axes)}`);
  const text = svgText(svg);
  for (const t of ['Figure 4', 'true class', 'predicted class', 'count']) assert.ok(text.includes(t), t);
  assert.ok(text.some((t) => t.includes('8 samples · accuracy 87.5 % · macro-F1 0.893')), 'subtitle');
  // The x axis (predicted) is drawn at the bottom: its labels lie below the cells.
  assert.match(svg, /aria-label="X-axis titled 'predicted class'[^"]*"><g transform="translate\(0\.5,320\.5\)">/);
  assert.match(svg, /aria-label="Y-axis titled 'true class'[^"]*"><g transform="translate\(0\.5,0\.5\)">/);
});

test('renderConfusion() writes white on the dark squares and dark text on the light ones', async () => {
  const marks = textMarks(await renderConfusion(figure4(), { normalised: false, format: 'svg', title: 't' }));
  const flat = figure4().confusion.flat();
  flat.forEach((count, i) => {
    const expected = count === 2 ? '#ffffff' : count === 1 ? '#111111' : '#555555';
    assert.equal(marks[i].fill, expected, `cell ${i} holds ${count}`);
  });
});

test('renderConfusion() normalised writes each row as fractions of its true count and marks rows without samples', async () => {
  const r = classificationReport([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], ['a', 'b', 'never true']);
  const svg = await renderConfusion(r, { normalised: true, format: 'svg', title: 't' });
  assertWellFormed(svg);
  assert.deepEqual(
    textMarks(svg).map((m) => m.text),
    ['0.50', '0.50', '0', '0.33', '0.67', '0', '–', '–', '–'],
  );
  const text = svgText(svg);
  assert.ok(text.includes('fraction'));
  assert.ok(text.some((t) => t.includes('each row divided by its true count; – : no samples of that class')));
  assert.ok(text.includes('1.00') && text.includes('0.50'), 'legend from 0 to 1');
});

test('renderConfusion() writes a PNG twice the SVG size by default, and byte-identical ones for the same report', async () => {
  const svg = await renderConfusion(figure4(), { normalised: false, format: 'svg', title: 'Figure 4' });
  const png = await renderConfusion(figure4(), { normalised: false, format: 'png', title: 'Figure 4' });
  const size = svgSize(svg);
  assert.deepEqual(pngSize(png), { width: size.width * 2, height: size.height * 2 });
  assert.deepEqual(pngSize(await renderConfusion(figure4(), { normalised: false, format: 'png', title: 'Figure 4', scale: 1 })), size);
  assert.deepEqual(await renderConfusion(figure4(), { normalised: false, format: 'png', title: 'Figure 4' }), png);
  assert.equal(await renderConfusion(figure4(), { normalised: false, format: 'svg', title: 'Figure 4' }), svg);
  await assert.rejects(renderConfusion(figure4(), { normalised: false, format: 'png', title: 't', scale: 0 }), RangeError);

  const script = [
    `import { renderConfusion } from ${JSON.stringify(new URL('./confusion-plot.ts', import.meta.url).href)};`,
    `import { classificationReport } from ${JSON.stringify(new URL('../evaluate/metrics.ts', import.meta.url).href)};`,
    `import { createHash } from 'node:crypto';`,
    `const [t, p, c] = JSON.parse(process.argv[1]);`,
    `const png = await renderConfusion(classificationReport(t, p, c), { normalised: false, format: 'png', title: 'Figure 4' });`,
    `console.log(createHash('sha256').update(png).digest('hex'));`,
  ].join('\n');
  const child = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, JSON.stringify([TRUTH, PREDICTED, ACTIVITIES])], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  });
  assert.equal(child.trim(), createHash('sha256').update(png).digest('hex'), 'the same bytes in another process');
});

test('renderConfusion() shows hostile class names and titles escaped, never as markup or controls', async () => {
  const hostile = ['<script>alert(1)</script>', 'a\u0007b\u001b[2J', '\u202eevil\u2066', 'x&"y\'', '<script>alert(1)</script>'];
  const r = classificationReport([0, 1, 2, 3, 4], [0, 1, 2, 4, 3], hostile);
  for (const normalised of [false, true]) {
    const svg = await renderConfusion(r, { normalised, format: 'svg', title: '<b>t</b>\u0000\u202e' });
    assertWellFormed(svg);
    assert.ok(!svg.includes('<script') && !svg.includes('<b>'), 'no element from a name');
    assert.ok(!/[\u0000-\u0008\u001b\u202a-\u202e\u2066-\u2069]/.test(svg), 'no control or bidi character');
    const text = svgText(svg);
    assert.ok(text.includes('<b>t</b>\\x00\\u{202e}'), 'title shown as text');
    const labels = axisLabels(svg)[0];
    assert.deepEqual(labels, ['<script>alert(1)</script>', 'a\\x07b\\x1b[2J', '\\u{202e}evil\\u{2066}', 'x&"y\'', '<script>alert(1)</script> (2)']);
    assert.equal(labels[2], plotLabel(hostile[2]));
  }
  // Names are data only: nowhere in the spec outside its data values (no expression, sort or domain holds one).
  const { data, ...rest } = confusionVegaLiteSpec(r, { normalised: false, title: 'safe' }) as { data: unknown };
  assert.ok(!JSON.stringify(rest).includes('script') && !JSON.stringify(rest).includes('evil'));
  assert.ok(JSON.stringify(data).includes('<script>alert(1)</script>'));
});

test('the confusion vega-lite spec compiles without warnings, counts and fractions alike', () => {
  const specs = [false, true].map((normalised) => confusionVegaLiteSpec(figure4(), { normalised, title: 't' }));
  assert.deepEqual(compileWarnings(specs), []);
});

test('countTicks() labels the count legend in round steps and shows the top count when it is not crowded', () => {
  assert.deepEqual(countTicks(2), [0, 1, 2]);
  assert.deepEqual(countTicks(1), [0, 1]);
  assert.deepEqual(countTicks(86), [0, 20, 40, 60, 80]);
  assert.deepEqual(countTicks(93), [0, 20, 40, 60, 80, 93]);
  assert.deepEqual(countTicks(7), [0, 2, 4, 6]);
  assert.deepEqual(countTicks(1000), [0, 200, 400, 600, 800, 1000]);
});

test('fractionText() writes nothing as 0 and a fraction too small for two decimals as <0.01', () => {
  assert.equal(fractionText(0), '0');
  assert.equal(fractionText(1 / 300), '<0.01');
  assert.equal(fractionText(0.005), '0.01');
  assert.equal(fractionText(2 / 3), '0.67');
  assert.equal(fractionText(1), '1.00');
});
