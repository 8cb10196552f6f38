// Regenerate docs/api-examples.json: the example requests below, with the mock's answers
// (arrays shortened) as the documented example responses.
// Usage: npm run build && node tests/make-api-examples.mjs
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMockServer } from './mock-server.mjs';
import { placeholderValues, resolve, resolveBody, trim } from './lib/contract.mjs';
import { repoDir } from './lib/env.mjs';

const scenarioBody = {
  name: 'Contract test scenario', description: 'Cut the nursing leaver rate by 2 points over 3 years', save: true, runs: 200, seed: 20250331,
  interventions: [{ type: 'turnover_change', scope_type: 'system', scope: 'system', staff_group: 'nursing', role_code: 'all', start_year: '{first_projected_year}', size: -2, ramp_years: 3 }],
  parameters: { productivity_gain: 0.5 }, scope_type: 'system', scope: 'system', staff_group: 'nursing', role_code: 'all', threshold_fte: 0,
};
const examples = [
  ['health', 'GET', '/api/health'],
  ['catalog', 'GET', '/api/catalog'],
  ['metric-definitions', 'GET', '/api/metric-definitions'],
  ['metrics-scope', 'GET', '/api/metrics?metric=turnover_rate,vacancy_rate&scope_type=place&scope={place}&at={latest_month}'],
  ['metrics-default', 'GET', '/api/metrics?metric=sip_headcount'],
  ['metrics-by-sector', 'GET', '/api/metrics?metric=vacancy_rate&by=sector'],
  ['metrics-by-role', 'GET', '/api/metrics?metric=sip_fte&scope_type=org&scope={org}&by=role'],
  ['metrics-by-org-staff-group', 'GET', '/api/metrics?metric=sickness_absence_rate&scope_type=sector&scope={sector}&staff_group=nursing&by=org'],
  ['series', 'GET', '/api/series?metric=sickness_absence_rate&scope_type=sector&scope={sector}&from={month_minus_5}&to={latest_month}'],
  ['series-default-window', 'GET', '/api/series?metric=turnover_rate'],
  ['outcomes', 'GET', '/api/outcomes?scope=system'],
  ['data-quality', 'GET', '/api/data-quality?from={period_minus_2}&to={latest_period}'],
  ['submissions', 'GET', '/api/submissions?limit=2'],
  ['findings', 'GET', '/api/findings?submission_id={submission_id}'],
  ['quarantine', 'GET', '/api/quarantine?limit=1'],
  ['quarantine-one-submission', 'GET', '/api/quarantine?submission_id={quarantined_submission_id}'],
  ['projection-parameters', 'GET', '/api/projection/parameters'],
  ['projection-baseline', 'GET', '/api/projection?scenario=baseline&by=staff_group'],
  ['projection-run', 'POST', '/api/projection/run', { ...scenarioBody, name: 'unsaved', save: false, by: 'sector' }],
  ['projection-save', 'POST', '/api/projection/run', scenarioBody],
  ['projection-saved', 'GET', '/api/projection?scenario=Contract%20test%20scenario&staff_group=nursing'],
  ['scenarios', 'GET', '/api/scenarios'],
  ['scenario-delete', 'DELETE', '/api/scenarios?name=Contract%20test%20scenario'],
  ['benchmarks', 'GET', '/api/benchmarks?metric=sickness_absence_rate_month&from=2025-01&to=2025-03'],
  ['benchmarks-org', 'GET', '/api/benchmarks?metric=sickness_absence_rate_month&scope_type=org&scope={org}&from=2025-03&to=2025-03'],
  ['benchmarks-cross-check', 'GET', '/api/benchmarks/cross-check?period=2025-03'],
  // Errors: status, error.code and details.parameter are checked.
  ['error-unknown-path', 'GET', '/api/no-such-endpoint'],
  ['error-unknown-parameter', 'GET', '/api/metrics?colour=blue'],
  ['error-bad-scope-type', 'GET', '/api/metrics?scope_type=region&scope=north'],
  ['error-missing-scope', 'GET', '/api/metrics?scope_type=place'],
  ['error-unknown-place', 'GET', '/api/metrics?scope_type=place&scope=Atlantis'],
  ['error-unknown-metric', 'GET', '/api/series?metric=happiness'],
  ['error-missing-metric', 'GET', '/api/series'],
  ['error-not-month-end', 'GET', '/api/metrics?at=2025-03-15'],
  ['error-role-not-in-group', 'GET', '/api/metrics?staff_group=medical&role_code=midwife'],
  ['error-bad-limit', 'GET', '/api/submissions?limit=0'],
  ['error-missing-submission-id', 'GET', '/api/findings'],
  ['error-unknown-scenario', 'GET', '/api/projection?scenario=No%20such%20scenario'],
  ['error-benchmark-metric', 'GET', '/api/benchmarks?metric=happiness'],
  ['error-benchmark-scope-type', 'GET', '/api/benchmarks?scope_type=place&scope=Northmoor'],
  ['error-method', 'POST', '/api/metrics', {}],
  ['error-bad-json', 'POST', '/api/projection/run', '{not json'],
  ['error-invalid-scenario', 'POST', '/api/projection/run', { interventions: [{ type: 'turnover_change', size: -40 }] }],
  ['error-save-baseline', 'POST', '/api/projection/run', { name: 'baseline', save: true, interventions: [] }],
];

const { server, url } = await startMockServer({ port: 0 });
const values = await placeholderValues(url);
const out = [];
for (const [id, method, path, body] of examples) {
  const init = { method };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(resolveBody(body, values));
    init.headers = { 'Content-Type': 'application/json' };
  }
  const res = await fetch(url + resolve(path, values), init);
  const json = await res.json();
  out.push({ id, method, path, ...(body !== undefined ? { body } : {}), status: res.status, response: trim(json, id === 'catalog' ? 3 : 2) });
}
server.close();
const doc = {
  description: 'Example requests of docs/api.md, replayed by web/tests/api-contract.test.mjs against the server under test (mock, or CAREFORCE_SERVER_URL). Placeholders in {braces} are filled from that server: {place} = first place of /api/catalog, {org} = first organisation, {sector} = its sector, {latest_month}, {month_minus_5} = the month end 5 months before it, {latest_period} and {period_minus_2} as YYYY-MM, {submission_id} = the newest submission with findings, {quarantined_submission_id} = the newest with quarantined rows, {first_projected_year} = the year after base_year of /api/projection/parameters (the first projected year). Examples run in order (the save, get and delete examples depend on it). A response conforms when it has every key of the example response with a compatible type (null matches any); for errors the status, error.code and error.details.parameter must match.',
  placeholders: Object.fromEntries(Object.keys(values).map((k) => [k, values[k]])),
  examples: out,
};
writeFileSync(join(repoDir, 'docs', 'api-examples.json'), JSON.stringify(doc, null, 1) + '\n');
console.log(`wrote ${out.length} examples`);
