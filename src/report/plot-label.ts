/**
 * Untrusted text (names that came off the wire, class and scenario labels) made safe for a figure.
 * Shared by every plot: it reaches a vega spec only as data, after this.
 */
import { visibleControls } from '../core/table-format.js';

/** The default longest label, in characters. */
export const DEFAULT_LABEL_CHARS = 48;

const UNSAFE_FORMAT = /[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NOT_XML = /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Untrusted text as a plot shows it: control characters as `\xNN`, C1 controls and bidi controls
 * (which could reorder what a reader sees) as `\u{NNNN}`, unpaired surrogates and U+FFFE/U+FFFF
 * (not XML characters) as U+FFFD, and at most `maxChars` characters (code points), the last `…`.
 */
export function plotLabel(text: string, maxChars: number = DEFAULT_LABEL_CHARS): string {
  const safe = visibleControls(text)
    .replace(UNSAFE_FORMAT, (c) => `\\u{${c.charCodeAt(0).toString(16).padStart(4, '0')}}`)
    .replace(NOT_XML, '\ufffd');
  const chars = Array.from(safe);
  return chars.length <= maxChars ? safe : chars.slice(0, Math.max(1, maxChars - 1)).join('') + '…';
}

