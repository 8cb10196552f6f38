// National benchmarks on the dashboard: England and region lines and columns on the metric
// explorer, the benchmark table and chart of the overview, the cross-check on the data
// quality page. Works against the mock and the real server, with benchmarks loaded or not
// (then each page says so, without an error box). Screenshots: test-output/web/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { axeSerious, launchBrowser, openPage, outputDir, screenshot, startServer, waitReady } from './lib/env.mjs';

const screenshotPath = async (name) => {
  mkdirSync(outputDir, { recursive: true });
  return join(outputDir, `${name}.png`);
};

let server, browser, bench, crossCheck;
before(async () => {
  server = await startServer();
  browser = await launchBrowser({ width: 1280, height: 900 });
  bench = await (await fetch(`${server.url}/api/benchmarks`)).json();
  crossCheck = await (await fetch(`${server.url}/api/benchmarks/cross-check`)).json();
});
after(async () => {
  await browser.close();
  await server.close();
});

describe('national benchmarks', () => {
  test('the API answers whether benchmarks are loaded, in a stable shape', () => {
    assert.equal(typeof bench.loaded, 'boolean');
    assert.ok(Array.isArray(bench.metrics));
    if (!bench.loaded) assert.match(bench.message, /careforce benchmarks import/);
    for (const m of bench.metrics) {
      for (const month of m.months) {
        assert.match(month.period, /^\d{4}-\d{2}$/);
        if (month.england) assert.equal(month.england.value, Number(month.england.value_text));
        for (const p of month.peers) {
          assert.ok(p.rank >= 1 && p.rank <= p.count, JSON.stringify(p));
          assert.equal(p.quartile, Math.ceil((4 * p.rank) / p.count));
        }
      }
    }
    assert.equal(crossCheck.summary.rows, crossCheck.rows.length);
    assert.equal(crossCheck.summary.matching + crossCheck.summary.differing + crossCheck.summary.no_own_figure, crossCheck.rows.length);
  });

  test('the explorer draws England and region lines and columns beside our sickness absence', async () => {
    const { page, problems } = await openPage(browser.context, `${server.url}/#/explorer?metric=sickness_absence_rate&at=2025-03-31`);
    await waitReady(page, 'explorer');
    assert.equal(await page.locator('.nhsuk-error-summary').count(), 0);
    const box = page.locator('#explorer-benchmarks');
    assert.equal(await box.count(), 1, 'no benchmark box');
    const m = bench.metrics.find((x) => x.metric === 'sickness_absence_rate');
    const march = m?.months.find((x) => x.period === '2025-03');
    if (!bench.loaded) {
      assert.match(await box.innerText(), /careforce benchmarks import/);
    } else if (march?.england) {
      const heads = await page.locator('#series-table thead th').allInnerTexts();
      assert.ok(heads.includes('England'), heads.join('|'));
      if (march.region) assert.ok(heads.includes(bench.identity.region_name), heads.join('|'));
      const label = await page.locator('#series-chart').getAttribute('aria-label');
      assert.match(label, /England/);
      const text = await box.innerText();
      assert.ok(text.includes(`England ${march.england.value_text}%`), text);
      const row = page.locator('#series-table tbody tr', { hasText: 'March 2025' });
      assert.ok((await row.innerText()).includes(`${march.england.value_text}%`));
      // Legend entries for the dashed benchmark lines.
      assert.ok(await page.locator('#series-chart svg text', { hasText: 'England' }).count() >= 1);
    }
    await screenshot(page, 'benchmarks-explorer');
    assert.deepEqual(await axeSerious(page), []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the overview lists each benchmarked metric beside England', async () => {
    const { page, problems } = await openPage(browser.context, `${server.url}/#/overview`);
    await waitReady(page, 'overview');
    assert.equal(await page.locator('.nhsuk-error-summary').count(), 0);
    assert.equal(await page.locator('#benchmarks-heading').count(), 1);
    if (!bench.loaded) {
      assert.match(await page.locator('#overview-benchmarks-notice').innerText(), /careforce benchmarks import/);
    } else {
      const withMonths = bench.metrics.filter((m) => m.months.length > 0);
      assert.equal(await page.locator('#overview-benchmarks tbody tr').count(), withMonths.length);
      const chart = page.locator('#overview-benchmark-chart');
      assert.ok(Number(await chart.getAttribute('data-points')) > 0);
      assert.ok(await chart.locator('svg path').count() > 3);
      assert.match(await chart.getAttribute('aria-label'), /England/);
    }
    await screenshot(page, 'benchmarks-overview');
    assert.deepEqual(await axeSerious(page), []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the data-quality page lists the cross-check differences', async () => {
    const { page, problems } = await openPage(browser.context, `${server.url}/#/data-quality`);
    await waitReady(page, 'data-quality');
    assert.equal(await page.locator('#cross-check-heading').count(), 1);
    if (crossCheck.rows.length === 0) {
      assert.equal((await page.locator('#cross-check-empty').innerText()).trim(), crossCheck.message);
    } else {
      assert.equal(await page.locator('#cross-check-table tbody tr').count(), crossCheck.rows.length);
      const differs = crossCheck.rows.find((r) => r.status === 'differs');
      if (differs) {
        const row = page.locator('#cross-check-table tbody tr', { hasText: 'Differs' }).first();
        assert.ok((await row.innerText()).includes(differs.org_code));
      }
    }
    // The section only: the demo's submission grid makes the full page very tall.
    const section = page.locator(crossCheck.rows.length ? '#cross-check-table' : '#cross-check-empty');
    await section.screenshot({ path: await screenshotPath('benchmarks-data-quality') });
    assert.deepEqual(await axeSerious(page), []);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
