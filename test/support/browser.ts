// A report opened in headless Chromium (Debian's `chromium`, driven by playwright-core) from file://
// with the network blocked: every request other than the page itself is recorded and refused, and
// console messages, page errors, dialogs and Content-Security-Policy violations are collected, so a
// test can say that the page loaded nothing, ran nothing and complained of nothing.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PEEPHOLE_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can (under CI a missing browser fails them). */
export function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const why = `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; .ci/run installs it)`;
  if (process.env.CI) throw new Error(why);
  return why;
}

export interface OpenedReport {
  readonly page: Page;
  /** Every request the page made other than loading itself (each one refused). */
  readonly requests: string[];
  /** Console messages of type error or warning, and uncaught page errors. */
  readonly problems: string[];
  /** Content-Security-Policy violations the page reported. */
  readonly violations: string[];
  /** Dialogs (alert, confirm, prompt) the page opened: a script ran. */
  readonly dialogs: string[];
  close(): Promise<void>;
}

let browser: Promise<Browser> | undefined;

function launch(): Promise<Browser> {
  browser ??= chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  return browser;
}

/** Closes the shared browser (call once, after the last test of a file). */
export async function closeBrowser(): Promise<void> {
  if (browser !== undefined) await (await browser).close();
  browser = undefined;
}

/** Opens `file` (a path) in a fresh context with every other request refused. */
export async function openReport(file: string, viewport = { width: 1200, height: 900 }): Promise<OpenedReport> {
  const context = await (await launch()).newContext({ viewport, javaScriptEnabled: true, offline: true });
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const problems: string[] = [];
  const violations: string[] = [];
  const dialogs: string[] = [];
  await context.route('**/*', async (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  // Runs before the page's own content, outside its CSP (the page itself runs no script).
  await context.addInitScript({
    content: "window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));",
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url() !== url && !requests.includes(r.url())) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  violations.push(...((await page.evaluate('window.__violations')) as string[]));
  return { page, requests, problems, violations, dialogs, close: () => context.close() };
}

/** Each figure's id with the size its SVG is drawn at (CSS pixels), and how many marks it holds. */
export async function figureSizes(page: Page): Promise<{ id: string; width: number; height: number; paths: number; texts: number }[]> {
  // A page function: it runs in the browser (the DOM's types are not this program's).
  return (await page.evaluate(`[...document.querySelectorAll('figure')].map((f) => {
    const svg = f.querySelector('svg');
    const box = svg === null ? null : svg.getBoundingClientRect();
    return { id: f.id, width: box === null ? 0 : box.width, height: box === null ? 0 : box.height, paths: svg === null ? 0 : svg.querySelectorAll('path, line, rect, circle').length, texts: svg === null ? 0 : svg.querySelectorAll('text').length };
  })`)) as { id: string; width: number; height: number; paths: number; texts: number }[];
}
