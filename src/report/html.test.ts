import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { contentSecurityPolicy, escapeHtml, html, htmlPage, inlineSvg, rawHtml, SafeHtml } from './html.js';
import { markdownText } from './study-markdown.js';
import { renderConfusion } from './confusion-plot.js';
import { classificationReport } from '../evaluate/metrics.js';

test('escapeHtml() turns markup into text and makes control and bidi characters visible', () => {
  assert.equal(escapeHtml('<img src=x onerror=alert(1)>.example'), '&lt;img src=x onerror=alert(1)&gt;.example');
  assert.equal(escapeHtml('</script><script>alert(2)</script>'), '&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  assert.equal(escapeHtml(`"><svg onload='x'>&amp;`), '&quot;&gt;&lt;svg onload=&#39;x&#39;&gt;&amp;amp;');
  assert.equal(escapeHtml('safe\u202egnp.exe\u202c'), 'safe\\u{202e}gnp.exe\\u{202c}');
  assert.equal(escapeHtml('beep\u001b[31m\u0007\u0085\u2066x\u2069'), 'beep\\x1b[31m\\x07\\u{0085}\\u{2066}x\\u{2069}');
  assert.equal(escapeHtml('lone \ud800 surrogate'), 'lone \ufffd surrogate');
  assert.equal(escapeHtml('Philips Hue light 00:17:88:2b:44:02'), 'Philips Hue light 00:17:88:2b:44:02', 'ordinary text is unchanged');
});

test('html`` escapes every value, passes safe markup as it is, joins lists and leaves out null', () => {
  const name = '<b onclick=x>';
  const inner = html`<i>${name}</i>`;
  assert.ok(inner instanceof SafeHtml);
  assert.equal(html`<p title="${name}">${inner}${[1, ' & ', null, undefined, rawHtml('<br>')]}</p>`.html, '<p title="&lt;b onclick=x&gt;"><i>&lt;b onclick=x&gt;</i>1 &amp; <br></p>');
});

test('inlineSvg() gives every id and url(#…) reference its figure prefix, and refuses what could run or load', async () => {
  const report = classificationReport([0, 1, 1], [0, 1, 0], ['a', 'b']);
  const svg = await renderConfusion(report, { format: 'svg', normalised: true, title: 'x' });
  const ids = [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(ids.length > 0, 'the confusion figure has a gradient');
  const inlined = inlineSvg(svg, 'fig-a').html;
  assert.ok(inlined.startsWith('<svg'));
  for (const id of ids) {
    assert.ok(inlined.includes(`id="fig-a-${id}"`), id);
    assert.ok(!inlined.includes(`url(#${id})`), `url(#${id}) left unprefixed`);
  }
  assert.ok(/url\(#fig-a-/.test(inlined));
  for (const bad of ['<script>alert(1)</script>', '<a href="http://x">y</a>', '<g onload="x"></g>', '<image xlink:href="http://x/y.png"/>', '<rect style="fill:red"/>', '<foreignObject></foreignObject>']) {
    assert.throws(() => inlineSvg(`<svg>${bad}</svg>`, 'f'), /Cannot put a figure in the page/, bad);
  }
  // Text is not markup: a name that reads like a handler stays text.
  assert.equal(inlineSvg('<svg><text>onload=x href=y</text></svg>', 'f').html, '<svg><text>onload=x href=y</text></svg>');
});

test('htmlPage(): one style block, allowed by its hash; nothing may load or run', () => {
  const css = 'body { color: #111; }';
  const page = htmlPage({ title: '<t>', css, body: html`<p>x</p>` });
  const hash = createHash('sha256').update(css).digest('base64');
  const csp = contentSecurityPolicy(css);
  assert.equal(csp, `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; font-src 'none'; script-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'`);
  assert.ok(page.includes(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`));
  assert.ok(page.includes(`<style>${css}</style>`));
  assert.ok(page.includes('<title>&lt;t&gt;</title>'));
  assert.equal((page.match(/<style>/g) ?? []).length, 1);
  assert.ok(!/<script|<link|<img|\son\w+=/i.test(page));
});

test('markdownText() escapes what could start Markdown or HTML; words keep their underscores', () => {
  assert.equal(markdownText('wake_up'), 'wake_up');
  assert.equal(markdownText('<img src=x onerror=alert(1)>'), '\\<img src=x onerror=alert(1)\\>');
  assert.equal(markdownText('[x](javascript:alert(1)) | *b* _i_ `c` ~s~ &amp;'), '\\[x\\](javascript:alert(1)) \\| \\*b\\* \\_i\\_ \\`c\\` \\~s\\~ \\&amp;');
  assert.equal(markdownText('a\u202eb\u0007'), 'a\\\\u{202e}b\\\\x07');
});
