/**
 * Untrusted text (names that came off the wire, class and scenario labels) made safe for a figure.
 * Shared by every plot: it reaches a vega spec only as data, after this.
 */
import { visibleControls } from '../core/table-format.js';

/** The default longest label, in characters. */
export const DEFAULT_LABEL_CHARS = 48;

const NOT_XML = /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Untrusted text as a plot shows it: control and bidi characters made visible by the one rule for
 * text from elsewhere ({@link visibleControls}: `\xNN`, `\u{NNNN}`), unpaired surrogates and
 * U+FFFE/U+FFFF (not XML characters) as U+FFFD, and at most `maxChars` characters (code points), the
 * last `…`. vega's SVG writer then escapes `<`, `>`, `&` and quotes for XML.
 */
export function plotLabel(text: string, maxChars: number = DEFAULT_LABEL_CHARS): string {
  const safe = visibleControls(text).replace(NOT_XML, '\ufffd');
  const chars = Array.from(safe);
  return chars.length <= maxChars ? safe : chars.slice(0, Math.max(1, maxChars - 1)).join('') + '…';
}
