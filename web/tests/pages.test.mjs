// Every page loads without console errors, draws its charts with data, and has no serious
// or critical axe-core violation, at laptop and tablet widths. Screenshots: test-output/web/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeSerious, launchBrowser, openPage, screenshot, startServer, waitReady } from './lib/env.mjs';

const PAGES = [
  { path: 'overview', charts: 1, text: 'Workforce overview' },
  { path: 'explorer', charts: 2, text: 'Metric explorer' },
  { path: 'outcomes', charts: 1, text: 'Outcomes framework' },
  { path: 'plan', charts: 1, text: 'Workforce plan' },
  { path: 'data-quality', charts: 1, text: 'Data quality' },
  { path: 'definitions', charts: 0, text: 'Metric definitions' },
];
const WIDTHS = [{ name: 'laptop', width: 1280, height: 800 }, { name: 'tablet', width: 820, height: 1180 }];

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.close(); });

for (const size of WIDTHS) {
  describe(`pages at ${size.name} width (${size.width}px)`, () => {
    let browser;
    before(async () => { browser = await launchBrowser({ width: size.width, height: size.height }); });
    after(async () => { await browser.close(); });

    for (const p of PAGES) {
      test(`${p.path} loads, renders its charts and passes axe`, async () => {
        const { page, problems } = await openPage(browser.context, `${server.url}/#/${p.path}`);
        await waitReady(page, p.path);
        assert.equal(await page.locator('.nhsuk-error-summary').count(), 0, 'the page shows an error box');
        assert.match(await page.locator('main').innerText(), new RegExp(p.text));
        const charts = page.locator('main [data-points]');
        assert.ok(await charts.count() >= p.charts, `expected at least ${p.charts} charts`);
        for (let i = 0; i < await charts.count(); i++) {
          const points = Number(await charts.nth(i).getAttribute('data-points'));
          assert.ok(points > 0, `chart ${i} has no data`);
          assert.ok(await charts.nth(i).locator('svg path').count() > 3, `chart ${i} drew nothing`);
          assert.ok((await charts.nth(i).getAttribute('aria-label')).length > 30, `chart ${i} lacks a text alternative`);
        }
        // Every chart has a data table beside it.
        assert.ok(await page.locator('main table').count() >= p.charts);
        await screenshot(page, `${p.path}-${size.name}`);
        const violations = await axeSerious(page);
        assert.deepEqual(violations, [], `axe: ${JSON.stringify(violations, null, 1)}`);
        assert.deepEqual(problems, []);
        await page.close();
      });
    }
  });
}
