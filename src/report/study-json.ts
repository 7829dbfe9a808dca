/**
 * report.json: every number of a study (or of the observer's half on a user's capture) and the data
 * of each figure of report.html, with its caption. Written by the one rule for JSON
 * (core/table-format.ts `wireJson`): every string keeps its text with its control and bidi
 * characters made visible (as in the page), so that `jq -r` on a name from the wire prints it inert.
 */
import { wireJson } from '../core/table-format.js';
import type { ReportFigure } from './study-html.js';

/** What report.json says it is, for a reader to check. */
export const REPORT_JSON_FORMAT = 'peephole-report';
export const REPORT_JSON_VERSION = 1;

export function renderReportJson(kind: 'study' | 'capture', result: unknown, figures: readonly ReportFigure[]): string {
  const document = { format: REPORT_JSON_FORMAT, version: REPORT_JSON_VERSION, kind, result, figures };
  return wireJson(document, 1) + '\n';
}
