// Test environment: the server under test (the mock, or a real careforce server when
// CAREFORCE_SERVER_URL is set) and Debian's headless Chromium driven by playwright-core.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { startMockServer } from '../mock-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const webDir = join(here, '..', '..');
export const repoDir = join(webDir, '..');
export const outputDir = join(repoDir, 'test-output', 'web');

/** Start (or point at) the server under test. Returns {url, close}. */
export async function startServer() {
  const external = process.env.CAREFORCE_SERVER_URL;
  if (external) return { url: external.replace(/\/$/, ''), close: async () => {}, mock: false };
  const { server, url } = await startMockServer({ port: 0 });
  return { url, close: () => new Promise((r) => server.close(r)), mock: true };
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launch Debian's Chromium with a fresh user data dir. Returns {context, close}. */
export async function launchBrowser({ width = 1280, height = 900 } = {}) {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: apt-get install -y chromium`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'careforce-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true, args: CHROMIUM_ARGS, viewport: { width, height }, acceptDownloads: true, locale: 'en-GB',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Open a page that records console errors, page errors and failed requests. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().includes('/api/scenarios?')) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  if (url) await page.goto(url);
  return { page, problems };
}

/** Wait until the routed page has rendered (main[data-ready=true]) for the given page. */
export async function waitReady(page, pageName) {
  await page.waitForSelector(`main[data-page="${pageName}"][data-ready="true"]`, { timeout: 15000 });
}

/** Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules); returns serious and critical violations. */
export async function axeSerious(page) {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Save a full-page screenshot under test-output/web/. */
export async function screenshot(page, name) {
  mkdirSync(outputDir, { recursive: true });
  const path = join(outputDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
