#!/usr/bin/env node
/**
 * `node scripts/report-screenshot.mjs [REPORT.html] [--out docs/report.png]`: the README's picture
 * (docs/report.png is the default study's: `npm run study`, then this on out/study/report.html).
 * Without a report it runs `peephole study --quick` into out/screenshot-study first (about a minute
 * on the OpenBLAS trainer), then opens report.html in headless Chromium (playwright-core with
 * Debian's chromium, PEEPHOLE_CHROMIUM to use another) from file:// with every request refused, and
 * writes a PNG of the page's top: the headline figures beside the published ones.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = resolve(outAt >= 0 ? args[outAt + 1] : join(root, 'docs', 'report.png'));
const given = args.filter((_, i) => outAt < 0 || (i !== outAt && i !== outAt + 1))[0];
const CHROMIUM = process.env.PEEPHOLE_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  process.stderr.write(`report-screenshot: no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)\n`);
  process.exit(1);
}

let report = given === undefined ? null : resolve(given);
if (report === null) {
  const dir = join(root, 'out', 'screenshot-study');
  const run = spawnSync(process.execPath, [join(root, 'bin', 'peephole.js'), 'study', '--quick', '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) process.exit(run.status ?? 1);
  report = join(dir, 'report.html');
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, offline: true });
  const url = pathToFileURL(report).href;
  await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort('blockedbyclient')));
  const page = await context.newPage();
  await page.goto(url);
  // The top of the page: the title, the headline figures beside the published ones, which trainer ran.
  const top = await page.evaluate(() => document.querySelector('header.top')?.getBoundingClientRect().bottom ?? 0);
  if (top <= 0) throw new Error(`${report}: no header.top (not a study's report.html?)`);
  await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1100, height: Math.ceil(top) } });
} finally {
  await browser.close();
}
process.stderr.write(`report-screenshot: wrote ${out} (${Math.round(statSync(out).size / 1000)} kB) from ${report}\n`);
