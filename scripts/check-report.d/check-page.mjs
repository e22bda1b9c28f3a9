// Opens a report page in headless Chromium as a person would, takes a screenshot, and fails on
// any console error or warning, uncaught page error, failed request, or request that would leave
// the machine (the page must need no network). Used by scripts/check-report.
//
//   node check-page.mjs PAGE.html SCREENSHOT.png [--viewport-only]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pagePath, screenshotPath, mode] = process.argv.slice(2);
if (!pagePath || !screenshotPath) {
  console.error('usage: node check-page.mjs PAGE.html SCREENSHOT.png [--viewport-only]');
  process.exit(64);
}
const userDataDir = mkdtempSync(join(tmpdir(), 'check-report-profile-'));
const problems = [];
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1200, height: 1000 },
  offline: true,
});
try {
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) {
      return route.continue();
    }
    problems.push(`blocked request: ${url}`);
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(
    `request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`));
  const response = await page.goto(pathToFileURL(resolve(pagePath)).href, { waitUntil: 'load' });
  if (!response || !response.ok()) {
    problems.push(`page did not load: ${response ? response.status() : 'no response'}`);
  }
  const shape = await page.evaluate(() => ({
    title: document.title,
    charts: document.querySelectorAll('svg.chart').length,
    tables: document.querySelectorAll('details.data').length,
    scripts: document.querySelectorAll('script').length,
    width: document.documentElement.scrollWidth,
  }));
  if (shape.scripts > 0) {
    problems.push(`the page holds ${shape.scripts} script element(s); it must hold none`);
  }
  if (shape.width > 1200) {
    problems.push(`the page is ${shape.width}px wide: it scrolls sideways in a 1200px window`);
  }
  await page.screenshot({ path: screenshotPath, fullPage: mode !== '--viewport-only' });
  console.log(`"${shape.title}": ${shape.charts} charts, ${shape.tables} data tables; screenshot ${screenshotPath}`);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
if (problems.length > 0) {
  problems.forEach((problem) => console.error(`check-report: ${problem}`));
  process.exit(1);
}
