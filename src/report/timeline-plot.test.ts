import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { binWidthText, plotLabel, renderTimeline, timelineVegaLiteSpec } from './timeline-plot.js';
import { TimelineBinner } from '../observe/timeline-series.js';
import { plotFont } from './fonts.js';
import type { TimelineSeries } from '../observe/timeline-series.js';
import { seededRandom as rng } from '../core/random.js';
import { compileWarnings } from './test-support.js';

const DAY_S = 86_400;
const MONDAY = Date.UTC(2024, 2, 4) / 1000; // Mon 4 Mar 2024 00:00 UTC
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];


/**
 * Two days of a lock, a light and an alarm: heartbeats all along (every 60 s, 30 s and 5 min), bursts
 * when someone uses them (mornings and evenings), and a 1.3 MB firmware download by the alarm at night.
 */
function sampleHome(): TimelineSeries {
  const next = rng(1);
  const events: [string, string, number, number][] = [];
  const lock = ['a4:cf:12:00:00:01', 'August Smart Lock'];
  const light = ['d8:1f:12:00:00:02', 'Tuya smart light (tuyaus.com)'];
  const alarm = ['00:1e:c0:00:00:03', 'SimpliSafe alarm base'];
  const push = (d: string[], t: number, bytes: number): void => {
    events.push([d[0], d[1], MONDAY + t, Math.round(bytes)]);
  };
  for (let t = 0; t < 2 * DAY_S; t += 60) push(lock, t + next(), 180);
  for (let t = 0; t < 2 * DAY_S; t += 30) push(light, t + next(), 90);
  for (let t = 0; t < 2 * DAY_S; t += 300) push(alarm, t + next(), 420);
  for (const day of [0, 1]) {
    const at = (hour: number): number => day * DAY_S + hour * 3600;
    for (const h of [7.2, 8.1, 18.3, 22.9]) for (let k = 0; k < 20; k++) push(lock, at(h) + 2 * k, 400 + 600 * next());
    for (const h of [6.9, 19.5, 21, 23]) for (let k = 0; k < 60; k++) push(light, at(h) + 5 * k, 800 + 1500 * next());
    for (const h of [8.3, 17.9]) for (let k = 0; k < 200; k++) push(alarm, at(h) + k, 2000 + 8000 * next());
  }
  for (let k = 0; k < 900; k++) push(alarm, DAY_S + 3 * 3600 + k, 1400);
  events.sort((a, b) => a[2] - b[2]);
  const binner = new TimelineBinner();
  for (const d of [lock, light, alarm]) binner.device(d[0], d[1]);
  for (const [id, label, t, bytes] of events) binner.add(id, label, t, bytes);
  return binner.finish();
}

/** Fails unless `xml` is one well-formed XML element: tags nest, attributes are quoted, entities exist. */
function assertWellFormedXml(xml: string): void {
  // eslint-disable-next-line no-control-regex
  const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.exec(xml);
  assert.equal(forbidden, null, 'no character that XML 1.0 forbids');
  const token =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/y;
  const badEntity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const stack: string[] = [];
  let roots = 0;
  let m: RegExpExecArray | null;
  while ((m = token.exec(xml)) !== null) {
    const [, close, name, attrs, selfClose, text, stray] = m;
    assert.equal(stray, undefined, `a stray '<' at ${m.index}: ${xml.slice(m.index, m.index + 60)}`);
    if (text !== undefined) {
      assert.ok(stack.length > 0 || text.trim() === '', `text outside the root at ${m.index}`);
      assert.ok(!badEntity.test(text), `a bare '&' in text at ${m.index}: ${text.slice(0, 60)}`);
    } else if (name !== undefined) {
      assert.ok(!badEntity.test(attrs), `a bare '&' in an attribute of <${name}>`);
      const names = [...attrs.matchAll(/([A-Za-z_][\w:.-]*)\s*=/g)].map((a) => a[1]);
      assert.equal(new Set(names).size, names.length, `a repeated attribute in <${name}>`);
      if (close === '/') assert.equal(stack.pop(), name, `</${name}> closes another element`);
      else if (selfClose !== '/') {
        if (stack.length === 0) roots++;
        stack.push(name);
      } else if (stack.length === 0) roots++;
    }
    if (token.lastIndex === xml.length) break;
  }
  assert.equal(token.lastIndex, xml.length, 'the whole document was read');
  assert.deepEqual(stack, [], 'every element is closed');
  assert.equal(roots, 1, 'one root element');
}

function xmllint(xml: string): { ran: boolean; ok: boolean; stderr: string } {
  const r = spawnSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' });
  if (r.error !== undefined) return { ran: false, ok: false, stderr: String(r.error) };
  return { ran: true, ok: r.status === 0, stderr: r.stderr };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text a viewer shows: the content of every <text>, tags stripped, entities decoded. */
function svgText(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
    m[1]
      .replace(/<[^>]+>/g, ' ')
      .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) =>
        e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e],
      ),
  );
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

test('renderTimeline() writes a well-formed SVG with every device name and both axis titles', async () => {
  const series = sampleHome();
  const svg = await renderTimeline(series, { format: 'svg', title: 'Sample home' });
  assertWellFormedXml(svg);
  const lint = xmllint(svg);
  if (lint.ran) assert.ok(lint.ok, lint.stderr);
  const text = svgText(svg);
  for (const name of ['August Smart Lock', 'Tuya smart light (tuyaus.com)', 'SimpliSafe alarm base', 'a4:cf:12:00:00:01']) {
    assert.ok(text.includes(name), `the SVG shows ${name}`);
  }
  assert.ok(text.includes('time (UTC), bins of 5 min'), 'x axis title');
  assert.ok(text.includes('bytes per 5 min'), 'y axis title');
  assert.ok(text.includes('Sample home'), 'title');
  assert.ok(text.includes('Mon 04 Mar') && text.includes('06:00') && text.includes('1 MB'), 'readable ticks');
  assert.match(svg, /^<svg[^>]* width="1000"/);
});

test('renderTimeline() escapes a hostile device name and keeps the SVG well-formed', async () => {
  const hostile = '<script>x</script>&"q"\u0007\u001b\u202e\ud800]]>';
  const series: TimelineSeries = {
    start: MONDAY,
    binSeconds: 60,
    rows: [
      { id: 'aa:bb:cc:dd:ee:ff', label: hostile, bytes: [10, 2000, 0, 5] },
      { id: '10.0.0.9', label: "'); utcFormat('x".repeat(20), bytes: [0, 0, 0, 0] },
    ],
  };
  const svg = await renderTimeline(series, { format: 'svg', title: 'home <b>&</b>\u0000.pcap' });
  assertWellFormedXml(svg);
  const lint = xmllint(svg);
  if (lint.ran) assert.ok(lint.ok, lint.stderr);
  assert.ok(!svg.includes('<script'), 'no script element');
  assert.ok(!svg.includes('<b>'), 'no element from the title');
  const text = svgText(svg);
  assert.ok(text.includes(plotLabel(hostile)), 'the name is shown with its controls made visible');
  assert.equal(plotLabel(hostile), '<script>x</script>&"q"\\x07\\x1b\\u{202e}\ufffd]]>');
  assert.ok(text.includes('home <b>&</b>\\x00.pcap'), 'the title is shown as text');
  const long = text.find((t) => t.startsWith("'); utcFormat('x"));
  assert.ok(long !== undefined && long.endsWith('…') && long.length <= 48, `long name cut with an ellipsis: ${long}`);
});

test('renderTimeline() draws one strip per device in the order of the series', async () => {
  const rows = Array.from({ length: 12 }, (_, r) => ({ id: `10.0.0.${r}`, label: `dev-${String.fromCharCode(108 - r)}`, bytes: [r, 0, r * 100] }));
  const svg = await renderTimeline({ start: MONDAY, binSeconds: 3600, rows }, { format: 'svg' });
  const names = svgText(svg).filter((t) => t.startsWith('dev-'));
  assert.deepEqual(names, rows.map((r) => r.label));
  assert.equal(svg.match(/aria-roledescription="area mark"/g)?.length, 12);
});

test('renderTimeline() writes a PNG of the requested width', async () => {
  const png = await renderTimeline(sampleHome(), { format: 'png', width: 800 });
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
  const size = pngSize(png);
  assert.equal(size.width, 800);
  assert.ok(size.height > 250 && size.height < 450, `height ${size.height}`);
  const out = process.env.TIMELINE_SAMPLE_OUT;
  if (out !== undefined) writeFileSync(out, await renderTimeline(sampleHome(), { format: 'png', title: 'Sample home: lock, light, alarm' }));
});

test('renderTimeline() keeps the requested width for narrow figures and long names', async () => {
  const series: TimelineSeries = {
    start: MONDAY,
    binSeconds: 300,
    rows: [{ id: 'fe80::1ff:fe23:4567:890a', label: 'N'.repeat(300), bytes: [1, 2000, 3e6] }],
  };
  for (const width of [400, 640, 1600]) {
    const svg = await renderTimeline(series, { format: 'svg', width, title: 'T'.repeat(200) });
    assert.match(svg, new RegExp(`^<svg[^>]* width="${width}"`), `width ${width}`);
  }
  await assert.rejects(renderTimeline(series, { format: 'svg', width: 100 }), RangeError);
});

test('renderTimeline() gives byte-identical SVG and PNG for the same series, in this process and another', async () => {
  const series = sampleHome();
  const svg1 = await renderTimeline(series, { format: 'svg' });
  const svg2 = await renderTimeline(series, { format: 'svg' });
  assert.equal(svg1, svg2);
  const png1 = await renderTimeline(series, { format: 'png' });
  const png2 = await renderTimeline(series, { format: 'png' });
  assert.deepEqual(png1, png2);

  const script = [
    `import { renderTimeline } from ${JSON.stringify(new URL('./timeline-plot.ts', import.meta.url).href)};`,
    `import { createHash } from 'node:crypto';`,
    `const s = JSON.parse(process.argv[1]);`,
    `const png = await renderTimeline(s, { format: 'png' });`,
    `const svg = await renderTimeline(s, { format: 'svg' });`,
    `console.log(createHash('sha256').update(png).digest('hex'), createHash('sha256').update(svg).digest('hex'));`,
  ].join('\n');
  const child = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, JSON.stringify(series)], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  });
  const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
  assert.equal(child.trim(), `${sha(png1)} ${sha(svg1)}`);
});

test('renderTimeline() draws a series with one device and one bin, and one with no devices', async () => {
  const one = await renderTimeline({ start: MONDAY, binSeconds: 0.001, rows: [{ id: 'x', label: 'x', bytes: [7] }] }, { format: 'svg' });
  assertWellFormedXml(one);
  assert.ok(svgText(one).includes('x'));
  assert.ok(svgText(one).includes('time (UTC), bins of 1 ms'));
  const none = await renderTimeline({ start: 0, binSeconds: 1, rows: [] }, { format: 'png' });
  assert.deepEqual([...none.subarray(0, 8)], PNG_SIGNATURE);
  const quiet = await renderTimeline({ start: 0, binSeconds: 1, rows: [{ id: 'q', label: 'quiet', bytes: [] }] }, { format: 'svg' });
  assert.ok(svgText(quiet).includes('no traffic'));
});

test('the vega-lite spec compiles without warnings and holds device names only as data', () => {
  const series = sampleHome();
  const spec = timelineVegaLiteSpec(series, { cellWidthPx: 900 });
  assert.deepEqual(compileWarnings([spec]), []);
  const { data, ...rest } = spec as { data: unknown };
  assert.ok(!JSON.stringify(rest).includes('August'), 'names are not in marks, titles or expressions');
  assert.ok(JSON.stringify(data).includes('August Smart Lock'));
});

test('plotLabel() shows controls and bidi overrides, replaces what XML cannot hold and cuts long names', () => {
  assert.equal(plotLabel('a\nb\tc\u007f'), 'a\\x0ab\\x09c\\x7f');
  assert.equal(plotLabel('x\u202ey\u2066z\u0085'), 'x\\u{202e}y\\u{2066}z\\u{0085}');
  assert.equal(plotLabel('a\ud800b\udc00c\ufffe'), 'a\ufffdb\ufffdc\ufffd');
  assert.equal(plotLabel('\ud83d\udca1 lamp'), '\ud83d\udca1 lamp', 'a surrogate pair is kept');
  assert.equal(plotLabel('abcdefghij', 5), 'abcd…');
  assert.equal(plotLabel('\ud83d\udca1\ud83d\udca1\ud83d\udca1', 2), '\ud83d\udca1…', 'cut between code points');
  assert.equal(plotLabel('abcde', 5), 'abcde');
});

test('binWidthText() writes a bin width in its largest whole unit', () => {
  assert.equal(binWidthText(300), '5 min');
  assert.equal(binWidthText(7200), '2 h');
  assert.equal(binWidthText(86_400), '1 d');
  assert.equal(binWidthText(15), '15 s');
  assert.equal(binWidthText(0.02), '20 ms');
  assert.equal(binWidthText(90), '90 s');
});

test('plotFont() finds the DejaVu Sans files and names the package to install when they are missing', () => {
  const font = plotFont();
  assert.equal(font.family, 'DejaVu Sans');
  assert.ok(font.files.length === 2 && font.files.every((f) => existsSync(f)));
  assert.throws(() => plotFont(['/nonexistent/fonts']), /fonts-dejavu-core/);
});
