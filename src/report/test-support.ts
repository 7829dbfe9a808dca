/**
 * Test helpers for figures drawn by vega: what text an SVG shows, whether it is well-formed XML, the
 * size a PNG declares, and what vega-lite warns about while compiling a spec. Used by the figures'
 * tests; tsconfig.build.json keeps test-support.ts files out of the build.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e],
  );
}

/** The text a viewer shows: the content of every <text>, tags stripped, entities decoded, in document order. */
export function svgText(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) => decodeEntities(m[1].replace(/<[^>]+>/g, ' ')));
}

/** The labels of each axis, in document order (one array per axis). */
export function axisLabels(svg: string): string[][] {
  return [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>([\s\S]*?)<\/g>/g)].map((m) => svgText(m[1]));
}

/** The text marks (text drawn as data, e.g. a number in a cell) with their fill colour, in data order. */
export function textMarks(svg: string): { text: string; fill: string }[] {
  return [...svg.matchAll(/<text\b([^>]*aria-roledescription="text mark"[^>]*)>([\s\S]*?)<\/text>/g)].map((m) => ({
    text: decodeEntities(m[2]),
    fill: /\sfill="([^"]*)"/.exec(m[1])?.[1] ?? '',
  }));
}

/** Fails unless xmllint (libxml2) reads `svg` as well-formed XML; without xmllint, checks the characters only. */
export function assertWellFormed(svg: string): void {
  // eslint-disable-next-line no-control-regex
  assert.equal(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.exec(svg), null, 'no character that XML 1.0 forbids');
  const r = spawnSync('xmllint', ['--noout', '-'], { input: svg, encoding: 'utf8' });
  if (r.error === undefined) assert.equal(r.status, 0, r.stderr);
}

/** Width and height from a PNG's IHDR chunk, after checking the signature and that IHDR comes first. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE, 'PNG signature');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.equal(view.getUint32(8), 13, 'IHDR length');
  assert.equal(String.fromCharCode(...png.subarray(12, 16)), 'IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The SVG's own width and height in px. */
export function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"/.exec(svg);
  assert.ok(m !== null, 'an SVG with a width and a height');
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** What vega-lite says (errors and warnings) while compiling each spec: a figure's spec should compile silently. */
export function compileWarnings(specs: readonly TopLevelSpec[]): string[] {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
    warn: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  type CompileOptions = NonNullable<Parameters<typeof vl.compile>[1]>;
  for (const spec of specs) vl.compile(spec, { logger: logger as unknown as CompileOptions['logger'] });
  return warnings;
}
