// Every endpoint documented in docs/api.md answers as documented: docs/api-examples.json
// is replayed against the server under test (the mock, or CAREFORCE_SERVER_URL).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { placeholderValues, resolve, resolveBody, shapeProblems } from './lib/contract.mjs';
import { repoDir, startServer } from './lib/env.mjs';

const doc = JSON.parse(readFileSync(join(repoDir, 'docs', 'api-examples.json'), 'utf8'));
const apiMd = readFileSync(join(repoDir, 'docs', 'api.md'), 'utf8');

let server, values;
before(async () => {
  server = await startServer();
  values = await placeholderValues(server.url);
});
after(async () => { await server.close(); });

test('every endpoint in the table of docs/api.md has an example request', () => {
  const documented = [...apiMd.matchAll(/^\| (GET|POST|DELETE) \| `(\/api\/[^`]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.ok(documented.length >= 14, `found only ${documented.length} endpoints in docs/api.md`);
  const examplesFor = new Set(doc.examples.filter((e) => e.status < 300).map((e) => `${e.method} ${e.path.split('?')[0]}`));
  for (const d of documented) assert.ok(examplesFor.has(d), `no successful example for ${d}`);
});

for (const ex of doc.examples) {
  test(`${ex.id}: ${ex.method} ${ex.path} answers ${ex.status} as documented`, async () => {
    const init = { method: ex.method };
    if (ex.body !== undefined) {
      init.body = typeof ex.body === 'string' ? ex.body : JSON.stringify(resolveBody(ex.body, values));
      init.headers = { 'Content-Type': 'application/json' };
    }
    const res = await fetch(server.url + resolve(ex.path, values), init);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = await res.json();
    assert.equal(res.status, ex.status, JSON.stringify(body).slice(0, 400));
    if (ex.status >= 400) {
      assert.equal(body.error?.code, ex.response.error.code);
      assert.equal(typeof body.error.message, 'string');
      assert.ok(body.error.message.length > 0);
      assert.equal(typeof body.error.details, 'object');
      if (ex.response.error.details.parameter !== undefined) assert.equal(body.error.details.parameter, ex.response.error.details.parameter);
    } else {
      assert.deepEqual(shapeProblems(ex.response, body), []);
    }
  });
}

test('metric results keep their documented invariants', async () => {
  const r = await (await fetch(`${server.url}/api/metrics?by=place`)).json();
  assert.ok(r.results.length > 0);
  for (const m of r.results) {
    assert.match(m.basis, /^[a-z_]+$/);
    assert.ok(m.coverage_orgs <= m.total_orgs);
    if (!m.available || m.suppressed) assert.equal(m.value, null);
    assert.match(m.period_end, /^\d{4}-\d{2}-\d{2}$/);
  }
});

test('projection quantiles are ordered and the gap table has the 5, 10 and 15 year horizons', async () => {
  const p = await (await fetch(`${server.url}/api/projection?by=sector`)).json();
  assert.equal(p.years.length, 16);
  for (const s of p.series) for (const k of ['supply', 'demand', 'gap', 'cost_gbp']) assert.ok(s[k].p10 <= s[k].p50 && s[k].p50 <= s[k].p90, `${k} ${s.year}`);
  const horizons = [...new Set(p.gap_table.map((g) => g.horizon_years))];
  assert.deepEqual(horizons, [5, 10, 15]);
  for (const g of p.gap_table) assert.equal(g.year, p.years[g.horizon_years]);
});

test('a page path outside /api/ serves the dashboard', async () => {
  for (const path of ['/', '/overview/anything']) {
    const res = await fetch(server.url + path);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<div id="app">/);
  }
});

test('every JSON example in docs/api.md is valid JSON', () => {
  const blocks = [...apiMd.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 15, `only ${blocks.length} JSON examples`);
  for (const b of blocks) assert.doesNotThrow(() => JSON.parse(b), b.slice(0, 120));
});
