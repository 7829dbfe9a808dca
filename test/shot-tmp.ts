import { openReport, closeBrowser } from './support/browser.ts';
const r = await openReport(process.argv[2], { width: 1200, height: 1400 });
const h = await r.page.evaluate(() => document.body.scrollHeight);
console.log('height', h);
for (let i = 0, y = 0; y < h; i++, y += 1400) {
  await r.page.evaluate((yy) => window.scrollTo(0, yy), y);
  await r.page.screenshot({ path: `${process.argv[3]}-${i}.png` });
}
await r.close(); await closeBrowser();
