/**
 * HTML for the study's report: one escaping function for every text that reaches a page
 * ({@link escapeHtml}), a tagged template that applies it to every value it is given ({@link html}),
 * inline SVG figures checked and given ids of their own ({@link inlineSvg}), and the page itself with
 * a strict Content-Security-Policy ({@link htmlPage}).
 *
 * Text from the wire (DNS names, TLS server names, DHCP and mDNS host names) and ids from a user's
 * files are untrusted: the one rule for text from elsewhere (core/table-format.ts `visibleControls`:
 * control characters as `\xNN`, C1 and bidi controls, which could reorder what a reader sees, as
 * `\u{NNNN}`), through {@link plotLabel} as the figures have it (what XML cannot hold replaced),
 * then HTML's entities: a name can neither become markup nor disguise itself. The page runs no script and loads nothing: its only
 * style is one inline block allowed by its hash; figures are SVG elements in the page.
 */
import { createHash } from 'node:crypto';
import { plotLabel } from './plot-label.js';

/** Markup that is already safe: made only by {@link html}, {@link rawHtml} or {@link inlineSvg}. */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** What {@link html} takes as a value: text (escaped), numbers, safe markup, or lists of them; null and undefined give nothing. */
export type HtmlValue = string | number | SafeHtml | null | undefined | readonly HtmlValue[];

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The one escaping function of the report: any text as it may appear in HTML content or in a quoted
 * attribute. Control, C1 and bidi characters are made visible first (never left to act), then `&`,
 * `<`, `>`, `"` and `'` become entities.
 */
export function escapeHtml(text: string): string {
  return plotLabel(text, Number.POSITIVE_INFINITY).replace(/[&<>"']/g, (c) => ENTITY[c]);
}

function valueHtml(value: HtmlValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.html;
  if (typeof value === 'number') return escapeHtml(String(value));
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(valueHtml).join('');
}

/** A template of markup whose every value is escaped with {@link escapeHtml} (safe markup passes as it is). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += valueHtml(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Markup written by the report's own code, with no value from outside in it. */
export function rawHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

const TAG = /<[^>]*>/g;
/** What a figure drawn by vega never holds and a page must not run. */
const FORBIDDEN_TAG = /^<\/?\s*(script|foreignObject|iframe|object|embed|image|use|a|style|link|animate|set|handler)\b|\s(on[a-z]+|href|xlink:href|src|style)\s*=/i;
const ID_REF = /(\bid="|url\(#)([^")]+)(?=[")])/g;

/**
 * An SVG document (from report/vega-render.ts) as an element of the page. Every id in it and every
 * `url(#…)` reference is given `idPrefix`, so that two figures drawing the same gradient or clip path
 * id keep their own. A tag that could run or load anything (a script, an event handler, a link, an
 * external image, a style) is a bug in the figure code: it throws instead of reaching the page.
 * Text content is left alone (vega escapes `<`, `>` and `&` in it, and in attributes).
 */
export function inlineSvg(svg: string, idPrefix: string): SafeHtml {
  const start = svg.indexOf('<svg');
  if (start < 0) throw new RangeError('Cannot put a figure in the page: no <svg> element');
  const body = svg.slice(start).trimEnd();
  const out = body.replace(TAG, (tag) => {
    if (FORBIDDEN_TAG.test(tag)) throw new RangeError(`Cannot put a figure in the page: it holds ${tag.slice(0, 80)}`);
    return tag.replace(ID_REF, (_, lead: string, id: string) => `${lead}${idPrefix}-${id}`);
  });
  return new SafeHtml(out);
}

/** The Content-Security-Policy of a page whose only style is `css`: nothing loads, nothing runs. */
export function contentSecurityPolicy(css: string): string {
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; font-src 'none'; script-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'`;
}

/** A whole page: its title, its one style block and its body, under {@link contentSecurityPolicy}. */
export function htmlPage(options: { readonly title: string; readonly css: string; readonly body: SafeHtml }): string {
  return (
    html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(options.css)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title}</title>
<style>${rawHtml(options.css)}</style>
</head>
<body>
${options.body}
</body>
</html>
`.html
  );
}
